"""Migration 0012: a complaint step may name an administrator account instead of a party."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from consentry.store.engine import _alembic_config


def _columns(engine: Engine) -> dict[str, bool]:
    return {c["name"]: c["nullable"] for c in inspect(engine).get_columns("complaint_steps")}


def test_migration_0012_adds_the_account_column_and_back(engine: Engine) -> None:
    at_head = _columns(engine)
    assert at_head["account_id"] is True and at_head["party_id"] is True
    config = _alembic_config(engine)
    command.downgrade(config, "0011")
    before = _columns(engine)
    assert "account_id" not in before and before["party_id"] is False
    command.upgrade(config, "head")
    assert _columns(engine) == at_head
