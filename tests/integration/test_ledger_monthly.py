"""Usage per month summed by the database equals the sums of the ledger's own records.

``usage_by_month`` asks the database for one ``GROUP BY`` (month in UTC, kind,
model version). Property test: batches of trainings and inference uses at
any instant, in any time zone (month ends included), for works of different
creators and models of different developers, are recorded; the database's
sums must equal those worked out here from every ledger record, for each
creator, both creators together and each developer. On SQLite and, with
``--db postgresql``, on PostgreSQL, where every session's time zone is set far
from UTC (+14 hours) to show that months are UTC months whatever the zone.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import make_url

from consentry.actions import models, parties, works
from consentry.actions.ledger_monthly import MonthlyUse, usage_by_month
from consentry.actions.workspace import Workspace, init
from consentry.domain import PartyKind
from consentry.errors import InvalidInput
from consentry.ledger.records import Batch, UseKind, UseRecord
from consentry.ledger.usage import WorkUsage
from consentry.store.ledger import LedgerUseStore

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"
WORKS = {"ruth": "p_ada", "jonah": "p_bo", "ps": "p_ada"}
FAR = "Pacific/Kiritimati"  # UTC+14: most instants fall in another day, or month
NUMBER = itertools.count(1)


PEOPLE = (
    ("p_ada", "Ada", PartyKind.CREATOR),
    ("p_bo", "Bo", PartyKind.CREATOR),
    ("p_dev", "Devco", PartyKind.DEVELOPER),
    ("p_oth", "Other", PartyKind.DEVELOPER),
)
MODELS = (("summ", "1", "p_dev"), ("summ", "2", "p_dev"), ("chat", "1", "p_oth"))
FILES = {"ruth": "ruth.txt", "jonah": "jonah.txt", "ps": "psalms-1-8.txt"}
UsePlan = tuple[str, int, int]
"""A work's use in a batch: the work, items trained on, uses while answering."""
BatchPlan = tuple[UseKind, int, datetime, timezone, list[UsePlan]]
"""A batch: its kind, which model (0-2), the instant, the zone it is given in, its uses."""


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """Ada's two works and Bo's one; Devco's two model versions and Other's one."""
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":  # every session of this test in UTC+14
        options = f"{url.query.get('options', '')} -ctimezone={FAR}".strip()
        url = url.update_query_dict({"options": options})
    workspace = init(url.render_as_string(hide_password=False))
    for party, name, kind in PEOPLE:
        parties.add_party(workspace, name, kind, party_id=party)
    for work_id, party in WORKS.items():
        creator = {"name": "Ada" if party == "p_ada" else "Bo"}
        works.add_work(
            workspace, TEXTS / FILES[work_id], title=work_id, work_id=work_id, creators=[creator]
        )
    for name, version, developer in MODELS:
        models.add_model_version(workspace, name, version, developer_ref=developer)
    yield workspace
    workspace.close()


MONTH_ENDS = [datetime(2025, m, 1, tzinfo=UTC) for m in (1, 2, 3)]
INSTANT = st.datetimes(datetime(2024, 12, 25), datetime(2025, 3, 5)).map(
    lambda d: d.replace(tzinfo=UTC)
) | st.builds(
    lambda end, hours: end + timedelta(hours=hours),
    st.sampled_from(MONTH_ENDS),
    st.floats(-20, 20),
)  # half of them within 20 hours of a month's end, where zones disagree on the month
ZONE = st.integers(-12, 14).map(lambda h: timezone(timedelta(hours=h)))
USE = st.tuples(st.sampled_from(sorted(WORKS)), st.integers(0, 10**6), st.integers(0, 50))
BATCH = st.tuples(
    st.sampled_from(list(UseKind)), st.integers(0, 2), INSTANT, ZONE,
    st.lists(USE, min_size=1, max_size=3, unique_by=lambda u: u[0]),
)  # fmt: skip


def _record(ws: Workspace, plan: BatchPlan) -> None:
    kind, model, instant, zone, uses = plan
    with ws.transaction() as registry:
        name, version, _ = MODELS[model]
        [model_id] = [
            m.id for m in registry.list_model_versions() if (m.name, m.version) == (name, version)
        ]
        n = next(NUMBER)
        batch = Batch(f"b{n}", kind, model_id, instant.astimezone(zone), n, instant)
        answered = kind is UseKind.INFERENCE
        rows = [
            UseRecord(batch, WorkUsage(w, items, 0, 0, Decimal(0), 0, 1), count if answered else 0)
            for w, items, count in uses
        ]
        LedgerUseStore(registry.conn).add_batch(batch, rows)


def _from_the_ledger(
    ws: Workspace, works_of: set[str] | None, developer: str | None
) -> list[MonthlyUse]:
    """The sums worked out here from every ledger record (the reference)."""
    sums: dict[tuple[str, str, str, str], int] = defaultdict(int)
    with ws.transaction() as registry:
        models_by_id = {m.id: m for m in registry.list_model_versions()}
        for r in LedgerUseStore(registry.conn).uses():
            model = models_by_id[r.batch.model_version_id]
            if (works_of is not None and WORKS[r.work_id] not in works_of) or (
                developer is not None and model.developer_id != developer
            ):
                continue
            amount = r.usage.items if r.batch.kind is UseKind.TRAINING else r.uses
            month = r.batch.used_at.astimezone(UTC).strftime("%Y-%m")
            sums[(month, r.batch.kind.value, f"{model.name} {model.version}", model.id)] += amount
    return sorted(MonthlyUse(*key, amount) for key, amount in sums.items() if amount)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(BATCH, min_size=1, max_size=4))
def test_the_databases_monthly_sums_are_the_ledgers(
    ws: Workspace, batches: list[BatchPlan]
) -> None:
    for batch in batches:  # the ledger only grows: each example adds to the ones before
        _record(ws, batch)
    for works_of in ({"p_ada"}, {"p_bo"}, {"p_ada", "p_bo"}, set()):
        expected = _from_the_ledger(ws, works_of, None)
        assert usage_by_month(ws, party_ids=works_of) == expected
    for developer in ("p_dev", "p_oth", "p_nobody"):
        expected = _from_the_ledger(ws, None, developer)
        assert usage_by_month(ws, developer_id=developer) == expected


def test_a_month_is_the_utc_month_and_zero_sums_are_left_out(ws: Workspace) -> None:
    late = datetime(2025, 2, 1, 4, 30, tzinfo=UTC)  # 31 January, 23:30 in New York
    new_york = timezone(timedelta(hours=-5))
    _record(ws, (UseKind.INFERENCE, 0, late, new_york, [("ruth", 0, 7)]))
    _record(ws, (UseKind.INFERENCE, 0, late, new_york, [("jonah", 0, 0)]))
    [only] = usage_by_month(ws, party_ids={"p_ada", "p_bo"})
    assert (only.month, only.kind, only.model, only.amount) == ("2025-02", "inference", "summ 1", 7)
    assert usage_by_month(ws, party_ids={"p_bo"}) == []
    with pytest.raises(InvalidInput):
        usage_by_month(ws)
