"""The ledger end to end: training and inference uses, revenue, statements, payments, credits."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.actions import ledger, licences, log, models, parties, works
from consentry.actions.ledger import TrainingSource
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.domain import FeeTerms, PartyKind, Use
from consentry.errors import ConflictError, InvalidInput, NotFound
from consentry.fees import fee_terms_from_dict
from consentry.provenance import TrainedOn

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"
T = datetime(2026, 11, 2, tzinfo=UTC)
TERMS = {"currency": "GBP", "flat": "100.00", "per_item": "10.00", "per_inference_use": "0.25"}


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(workspace, "Ben Marlow", PartyKind.CREATOR, party_id="p_ben")
    parties.add_party(workspace, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    works.add_work(
        workspace,
        TEXTS / "ruth.txt",
        title="Ruth",
        work_id="ruth",
        creators=[{"name": "Ada Quill", "share": "0.6"}, {"name": "Ben Marlow", "share": "0.4"}],
    )
    works.add_work(
        workspace,
        TEXTS / "jonah.txt",
        title="Jonah",
        work_id="jonah",
        creators=[{"name": "Ada Quill"}],
    )
    licences.grant_licence(
        workspace,
        "Northwind AI",
        ["ruth"],
        [Use.AI_TRAINING, Use.AI_INFERENCE],
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        fee_terms=fee_terms_from_dict(TERMS),
    )
    models.add_model_version(workspace, "tiny", "1", developer_ref="p_dev")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ruth.txt").write_bytes((TEXTS / "ruth.txt").read_bytes())
    (corpus / "jonah.txt").write_bytes((TEXTS / "jonah.txt").read_bytes())
    summary = scan(workspace, corpus, tmp_path / "out", developer_ref="p_dev")
    assert summary.dataset_version is not None
    models.record_training(
        workspace,
        "tiny",
        "1",
        summary.dataset_version,
        used=TrainedOn.ALL,
        epochs=2,
        source=TrainingSource(tmp_path / "out"),
        tariff=FeeTerms("GBP", per_item=Decimal("3.00")),
        trained_at=T,
    )
    yield workspace
    workspace.close()


def _model(ws: Workspace) -> str:
    return ledger.find_model(ws, "tiny", "1").id


def test_statements_split_owed_and_list_past_uses_apart(ws: Workspace) -> None:
    credits = ledger.record_inference_use(ws, _model(ws), ["ruth", "ruth"], at=T)
    assert [c.text for c in credits] == ["Ruth — Ada Quill (author), Ben Marlow (author)"]
    issued = ledger.issue_statements(ws, "2026-Q4")
    bodies = {b["party"]["id"]: b for b in ledger.statement_bodies(issued)}
    ada, ben = bodies["p_ada"], bodies["p_ben"]
    # ruth: 2 items x 10.00 + flat 100.00 + 1 inference use x 0.25 = 120.25, split 60/40.
    assert ada["total"] == "72.15" and ben["total"] == "48.10"
    assert [(x["basis"], x["line_amount"], x["amount"]) for x in ada["lines"]] == [
        ("per_item", "20.00", "12.00"),
        ("per_inference_use", "0.25", "0.15"),
        ("flat", "100.00", "60.00"),
    ]
    # jonah was trained on without a licence (--used all): 2 items at the 3.00 tariff.
    assert ada["liabilities"][0]["work_id"] == "jonah"
    assert ada["liabilities_total"] == "6.00" and ben["liabilities"] == []
    types = [json.loads(e.body)["type"] for e in log.entries(ws)]
    assert types.count("statement.issued") == 2 and "inference.recorded" in types


def test_a_closed_period_is_immutable(ws: Workspace) -> None:
    first = ledger.issue_statements(ws, "2026-Q4", "Ada Quill")
    with pytest.raises(ConflictError, match="closed"):
        ledger.record_inference_use(ws, _model(ws), ["ruth"], at=T)
    with pytest.raises(InvalidInput, match="closed"):
        ledger.report_revenue(ws, "tiny", "2026-Q4", "10.00", "GBP")
    again = ledger.issue_statements(ws, "2026-Q4")
    assert [s.id for s in first] == [s.id for s in again if s.party_id == "p_ada"]
    assert {s.party_id for s in again} == {"p_ada", "p_ben"}


def test_payments_and_derived_balances(ws: Workspace) -> None:
    [ada] = ledger.issue_statements(ws, "2026-Q4", "p_ada")
    with pytest.raises(InvalidInput, match="decimal places"):
        ledger.record_payment(ws, ada.id, "1.001", date(2026, 12, 1), "ref")
    with pytest.raises(InvalidInput, match="negative"):
        ledger.record_payment(ws, ada.id, "-1", date(2026, 12, 1), "ref")
    with pytest.raises(NotFound):
        ledger.record_payment(ws, "st_nope", "1", date(2026, 12, 1), "ref")
    ledger.record_payment(ws, ada.id, "50.00", date(2026, 12, 1), "BACS 123")
    [balance] = ledger.balances(ws, "Ada Quill")
    assert (balance.stated_minor, balance.paid_minor, balance.owed_minor) == (7200, 5000, 2200)


def test_revenue_once_per_period_and_in_the_licence_currency(ws: Workspace) -> None:
    ledger.report_revenue(ws, "tiny", "2026-Q3", "1000.00", "EUR")
    with pytest.raises(ConflictError, match="already reported"):
        ledger.report_revenue(ws, "tiny", "2026-Q3", "5.00", "EUR")
    with pytest.raises(NotFound):
        ledger.report_revenue(ws, "huge", "2026-Q3", "5.00", "EUR")
    with pytest.raises(InvalidInput, match="ISO 4217"):
        ledger.report_revenue(ws, "tiny", "2026-Q2", "5.00", "ZZZ")
    licences.grant_licence(
        ws,
        "Northwind AI",
        ["jonah"],
        [Use.AI_INFERENCE],
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
        fee_terms=FeeTerms("GBP", revenue_share=Decimal("0.01")),
    )
    ledger.record_inference_use(ws, _model(ws), ["jonah"], at=datetime(2026, 8, 1, tzinfo=UTC))
    with pytest.raises(InvalidInput, match="in EUR"):
        ledger.issue_statements(ws, "2026-Q3")
    assert ledger.balances(ws) == []


def test_a_licence_without_fee_terms_cannot_be_valued(ws: Workspace) -> None:
    licences.grant_licence(
        ws,
        "Northwind AI",
        ["jonah"],
        [Use.AI_INFERENCE],
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    ledger.record_inference_use(ws, _model(ws), ["jonah"], at=T)
    before = len(log.entries(ws))
    with pytest.raises(InvalidInput, match="no fee terms"):
        ledger.issue_statements(ws, "2026-Q4")
    assert len(log.entries(ws)) == before
    with pytest.raises(NotFound):
        ledger.record_inference_use(ws, _model(ws), ["nope"], at=T)
    assert len(log.entries(ws)) == before


def test_a_licence_for_a_past_period_settles_its_past_uses(ws: Workspace) -> None:
    licences.grant_licence(
        ws,
        "Northwind AI",
        ["jonah"],
        [Use.AI_TRAINING],
        starts_at=datetime(2026, 10, 1, tzinfo=UTC),
        fee_terms=FeeTerms("GBP", per_item=Decimal("1.00")),
    )
    [ada] = ledger.statement_bodies(ledger.issue_statements(ws, "2026-Q4", "p_ada"))
    assert ada["liabilities"] == []
    assert [x["work_id"] for x in ada["lines"] if x["basis"] == "per_item"] == ["jonah", "ruth"]


def test_cli_usage_inference_statements_and_credits(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    db = ["--db", database_url]
    used = runner.invoke(app, [*db, "ledger", "usage", "tiny", "--version", "1", "--json"])
    assert used.exit_code == 0, used.output
    assert {u["work_id"]: u["past_use"] for u in json.loads(used.output)} == {
        "jonah": True,
        "ruth": False,
    }
    answer = runner.invoke(app, [*db, "ledger", "inference", "tiny", "--version", "1", "ruth"])
    assert answer.exit_code == 0 and "Ben Marlow (author)" in answer.output
    args = [*db, "statements", "--period", "2026-Q4", "--party", "Ben Marlow", "--format", "csv"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.output)))
    assert {r["party_id"] for r in rows} == {"p_ben"} and rows[0]["currency"] == "GBP"
    page = tmp_path / "s.html"
    done = runner.invoke(
        app, [*db, "statements", "--period", "2026-Q4", "--format", "html", "--out", str(page)]
    )
    assert done.exit_code == 0 and "<table>" in page.read_text()
    out = tmp_path / "credits"
    done = runner.invoke(app, [*db, "credits", "tiny", "--version", "1", "--out", str(out)])
    assert done.exit_code == 0, done.output
    text = (out / "CREDITS").read_text()
    assert text.index("Jonah [jonah]") < text.index("Ruth [ruth]")
    assert [w["work_id"] for w in json.loads((out / "credits.json").read_text())["works"]] == [
        "jonah",
        "ruth",
    ]
    bad = runner.invoke(app, [*db, "statements", "--period", "Q9"])
    assert bad.exit_code != 0
