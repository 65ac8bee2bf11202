"""Mandates found by the creators they name, through the index: the same answers as a full read."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine

from consentry.domain import Mandate, Party, PartyKind, Use
from consentry.store import make_engine, open_registry
from consentry.store.engine import _alembic_config
from consentry.store.registry import Registry
from consentry.store.tables import mandates
from consentry.store.tables_mandates import mandate_creators

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def _world(registry: Registry, creators: int, given: int, seed: int) -> list[Mandate]:
    rng = random.Random(seed)
    registry.add_parties(
        [Party(f"c{i:04d}", f"Creator {i}", PartyKind.CREATOR) for i in range(creators)]
        + [Party("agent", "Agency", PartyKind.RIGHTSHOLDER)]
    )
    made = []
    for i in range(given):
        named = frozenset(f"c{j:04d}" for j in rng.sample(range(creators), rng.randint(1, 4)))
        mandate = Mandate(
            f"m{i:03d}", "agent", named, frozenset({Use.AI_TRAINING}), T0 + timedelta(i)
        )
        registry.add_mandate(mandate)
        made.append(mandate)
    registry.revoke_mandate("m001", T0 + timedelta(days=400))
    return made


def _every(registry: Registry) -> list[Mandate]:
    return [registry.get_mandate(f"m{i:03d}") for i in range(len(_ids(registry)))]


def _ids(registry: Registry) -> list[str]:
    return list(registry.conn.execute(select(mandates.c.id)).scalars())


def test_found_mandates_are_exactly_those_naming_a_creator(registry: Registry) -> None:
    _world(registry, creators=40, given=60, seed=7)
    every = _every(registry)
    rng = random.Random(11)
    for _ in range(25):
        wanted = {f"c{j:04d}" for j in rng.sample(range(40), rng.randint(0, 6))} | {"nobody"}
        found = registry.mandates_for_creators(wanted)
        assert found == [m for m in every if m.creator_ids & wanted]  # given order, each once
    assert registry.get_mandate("m001").revoked_at is not None
    assert "m001" in {m.id for m in registry.mandates_for_creators(every[1].creator_ids)}
    assert registry.mandates_for_creators([]) == []


def test_more_creators_than_one_query_takes(registry: Registry) -> None:
    _world(registry, creators=1_200, given=300, seed=3)
    every = _every(registry)
    wanted = {f"c{j:04d}" for j in range(0, 1_200, 1)}
    assert registry.mandates_for_creators(wanted) == [m for m in every if m.creator_ids & wanted]


def test_the_index_holds_one_row_per_creator_named(registry: Registry) -> None:
    made = _world(registry, creators=20, given=15, seed=5)
    rows = registry.conn.execute(select(func.count()).select_from(mandate_creators)).scalar_one()
    assert rows == sum(len(m.creator_ids) for m in made)


def test_migration_0013_fills_the_index_from_recorded_mandates(database_url: str) -> None:
    engine: Engine = make_engine(database_url)
    try:
        command.upgrade(_alembic_config(engine), "0012")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO parties (id, name, kind, created_at) VALUES "
                "('a', 'A', 'rightsholder', '2025-01-01 00:00:00'),"
                "('c1', 'C1', 'creator', '2025-01-01 00:00:00'),"
                "('c2', 'C2', 'creator', '2025-01-01 00:00:00')"
            )
            conn.execute(
                insert(mandates),
                [
                    {"id": "m1", "agent_id": "a", "creator_ids": '["c1", "c2"]',
                     "uses": '["ai_training"]', "granted_at": T0, "revoked_at": None},
                    {"id": "m2", "agent_id": "a", "creator_ids": '["c2"]',
                     "uses": '["ai_training"]', "granted_at": T0, "revoked_at": None},
                ],
            )  # fmt: skip
        command.upgrade(_alembic_config(engine), "0013")
        with open_registry(engine) as registry:
            assert [m.id for m in registry.mandates_for_creators({"c1"})] == ["m1"]
            assert [m.id for m in registry.mandates_for_creators({"c2"})] == ["m1", "m2"]
        command.downgrade(_alembic_config(engine), "0012")
        command.upgrade(_alembic_config(engine), "head")
    finally:
        engine.dispose()


def test_the_lookup_uses_the_creator_index_on_sqlite(registry: Registry) -> None:
    if registry.conn.dialect.name != "sqlite":
        pytest.skip("query plans are read on SQLite")
    sql = (
        "SELECT * FROM mandates WHERE id IN "
        "(SELECT mandate_id FROM mandate_creators WHERE creator_id IN ('a', 'b'))"
    )
    plan = " ".join(str(r[-1]) for r in registry.conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_mandate_creators_creator" in plan and "SCAN mandates" not in plan, plan
