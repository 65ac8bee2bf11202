"""A work's identifiers come back in the order the import gave them (schemes, then values)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert

from consentry.actions import works
from consentry.actions.workspace import Workspace, init
from consentry.store import make_engine, open_registry
from consentry.store.engine import _alembic_config
from consentry.store.tables import works as works_table

SHA = "a" * 64
# Neither the schemes nor the ISBNs are in sorted order; the ISBNs are canonical already.
GIVEN = {
    "isbn": ("9780306406157", "9780262033848", "9780131103627"),
    "doi": ("10.1000/zz", "10.1000/aa"),
}


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = init(database_url)
    yield workspace
    workspace.close()


def test_imported_identifiers_keep_the_order_given(ws: Workspace, tmp_path: Path) -> None:
    row = {
        "id": "w1",
        "title": "Ordered",
        "kind": "text",
        "fingerprints": {"sha256": SHA},
        "creators": [{"name": "Ada Quill"}],
        "identifiers": {scheme: list(values) for scheme, values in GIVEN.items()},
    }
    listing = tmp_path / "works.jsonl"
    listing.write_text(json.dumps(row) + "\n", encoding="utf-8")
    works.import_works(ws, listing)
    stored = works.get_work(ws, "w1").identifiers
    assert list(stored.items()) == list(GIVEN.items())
    assert [w.identifiers for w in works.list_works(ws)] == [stored]


def test_migration_0013_keeps_what_existing_works_showed(database_url: str) -> None:
    """Rows stored before 0013 get positions in the order they were read until then."""
    engine = make_engine(database_url)
    try:
        command.upgrade(_alembic_config(engine), "0012")
        at = datetime(2025, 1, 1, tzinfo=UTC)
        with engine.begin() as conn:
            conn.execute(
                insert(works_table).values(id="w1", title="Old", kind="text", created_at=at)
            )
            conn.exec_driver_sql(  # the 0012 table: no position column yet
                "INSERT INTO work_identifiers (work_id, scheme, value) VALUES "
                + ",".join(f"('w1', '{s}', '{v}')" for s, vs in GIVEN.items() for v in vs)
            )
        command.upgrade(_alembic_config(engine), "0013")
        with open_registry(engine) as registry:
            old = registry.get_work("w1").identifiers
        assert list(old.items()) == [
            ("doi", ("10.1000/aa", "10.1000/zz")),
            ("isbn", ("9780131103627", "9780262033848", "9780306406157")),
        ]
    finally:
        engine.dispose()
