"""The migrated schema is exactly ``store.tables``; readiness checks; units of work."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from consentry.domain import Consent, ConsentState, Party, PartyKind, Use, Work, WorkKind
from consentry.errors import DatabaseNotReady, NotFound
from consentry.store import ensure_ready, make_engine, open_registry, upgrade
from consentry.store.engine import current_revision, head_revision
from consentry.store.tables import metadata

T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _schema_diff(engine: Engine) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return list(compare_metadata(context, metadata))


def test_migrated_database_matches_the_tables(engine: Engine) -> None:
    assert _schema_diff(engine) == []
    names = set(inspect(engine).get_table_names())
    assert names == set(metadata.tables) | {"alembic_version"}


def test_the_comparison_sees_a_difference(engine: Engine) -> None:
    # The check above must be able to fail: an index dropped behind Alembic's back shows up.
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX ix_fingerprints_value")
    diff = _schema_diff(engine)
    assert [d[0] for d in diff if isinstance(d, tuple)] == ["add_index"]


def test_ensure_ready_refuses_an_empty_database_then_passes_after_upgrade(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    try:
        with pytest.raises(DatabaseNotReady, match="consentry init") as refused:
            ensure_ready(engine)
        assert refused.value.hint is not None and "consentry init" in refused.value.hint
        assert current_revision(engine) is None
        upgrade(engine)
        ensure_ready(engine)
        assert current_revision(engine) == head_revision(engine) is not None
        with open_registry(engine) as reg:
            reg.add_party(Party("p_a", "A", PartyKind.CREATOR))
        upgrade(engine)  # a second upgrade is harmless: no error, data kept, same schema
        ensure_ready(engine)
        with open_registry(engine) as reg:
            assert reg.get_party("p_a").name == "A"
        assert _schema_diff(engine) == []
    finally:
        engine.dispose()


def test_ensure_ready_refuses_an_older_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(DatabaseNotReady, match="0000"):
        ensure_ready(engine)


class Boom(Exception):
    """Raised inside a unit of work to abort it."""


def test_an_error_inside_open_registry_rolls_everything_back(engine: Engine) -> None:
    with open_registry(engine) as reg:
        reg.add_party(Party("p_keep", "Kept", PartyKind.CREATOR))
        reg.add_works([Work("w_keep", "Kept", WorkKind.TEXT)])

    with pytest.raises(Boom), open_registry(engine) as reg:
        reg.add_party(Party("p_lost", "Lost", PartyKind.CREATOR))
        reg.add_works([Work("w_lost", "Lost", WorkKind.TEXT)])
        reg.record_consent(
            Consent("p_keep", "w_keep", Use.SEARCH, ConsentState.WITHHELD, T0, "p_keep")
        )
        # Inside the unit of work, its own writes are visible...
        assert reg.get_party("p_lost").name == "Lost"
        assert reg.work_consent_version("w_keep") == 1
        raise Boom

    # ...and after the error, none of them is.
    with open_registry(engine) as reg:
        with pytest.raises(NotFound):
            reg.get_party("p_lost")
        with pytest.raises(NotFound):
            reg.get_work("w_lost")
        assert reg.consents_for("w_keep") == []
        assert reg.work_consent_version("w_keep") == 0
        assert [p.id for p in reg.list_parties()] == ["p_keep"]
        assert [w.id for w in reg.list_works()] == ["w_keep"]


def test_a_database_error_rolls_back_the_earlier_writes(engine: Engine) -> None:
    with pytest.raises(IntegrityError), open_registry(engine) as reg:
        reg.add_party(Party("p_a", "A", PartyKind.CREATOR))
        reg.add_party(Party("p_a", "A again", PartyKind.CREATOR))  # duplicate id
    count = select(func.count()).select_from(metadata.tables["parties"])
    with engine.connect() as conn:
        assert conn.execute(count).scalar_one() == 0
