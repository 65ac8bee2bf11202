"""Statements, payments, published reports and credits, and a work's uses and removals.

Over HTTP against the real app, on SQLite and PostgreSQL: a licence comes
into force through the portal, the developer trains on the cleared scan (the
ledger records the use), the period's statements are issued; the creator sees
what it is owed with a plot, the developer records a payment, and the
creator sees it paid. The developer publishes the model's report; anyone
reads it and its credits, and a report changed after publication is not
shown. The creator's work page lists the model that used it and the removal
certificate, which no one else may fetch.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from fastapi import FastAPI
from portal_client import Visitor
from portal_world import TEXTS, World, ask, finish, scan, world

from consentry.actions import log
from consentry.actions.ledger import issue_statements
from consentry.actions.models import list_model_versions
from consentry.actions.published import reports_dir
from consentry.actions.remove import remove_work
from consentry.actions.requests import show_request
from consentry.actions.scan_results import scan_outputs
from consentry.licensing.types import WorkState


def _licensed_and_trained(app: FastAPI) -> tuple[World, str, str]:
    """Ada grants Devco's request; Devco re-scans and trains summ 1 on what was cleared."""
    w = world(app)
    request_id = ask(w.dev, w.dataset_id, models="")
    path = f"/requests/{request_id}"
    granted = w.ada.post(path, f"{path}/answer", {"work_id": w.work_id, "answer": "grant"})
    assert granted.status_code == 303
    assert show_request(app.state.ws, request_id).works[0].state is WorkState.IN_FORCE
    cleared = scan(w.dev, [TEXTS / "ruth.txt"])
    assert w.dev.post("/models", "/models", {"name": "summ", "version": "1"}).status_code == 303
    model = next(m for m, _ in list_model_versions(app.state.ws) if m.name == "summ")
    trained = w.dev.post(
        "/models", "/models/training", {"model": model.id, "dataset_id": cleared, "used": "cleared"}
    )
    assert trained.status_code == 303, trained.text
    return w, model.id, cleared


def _quarter() -> str:
    now = datetime.now(UTC)
    return f"{now.year}-Q{(now.month - 1) // 3 + 1}"


def test_statements_show_what_is_owed_and_paid(app: FastAPI) -> None:
    w, _, _ = _licensed_and_trained(app)
    work_page = w.ada.get(f"/works/{w.work_id}").text
    assert "Recorded in the usage ledger" in work_page and "summ 1" in work_page
    assert "No statements yet" in w.ada.get("/statements").text
    issued = issue_statements(app.state.ws, _quarter())
    mine = next(s for s in issued if s.total_minor)
    assert mine.total_minor == 15000  # 150.00 GBP for the one work used
    owed = w.ada.get("/statements").text
    assert "<svg" in owed and 'data-kind="stated"' in owed and "150.00 GBP" in owed
    page = w.ada.get(f"/statements/{mine.id}").text
    assert "The Book of Ruth" in page and "Record a payment" not in page
    assert mine.id in w.dev.get("/statements").text
    paid = w.dev.post(
        f"/statements/{mine.id}",
        f"/statements/{mine.id}/payment",
        {"amount": "100.00", "paid_on": "2026-11-01", "reference": "BACS 42"},
    )
    assert paid.status_code == 303, paid.text
    after = w.ada.get(f"/statements/{mine.id}").text
    assert '<strong id="owed">50.00 GBP</strong>' in after and "BACS 42" in after
    bea, other = Visitor(app), Visitor(app)
    bea.signup("bea@example.org", "creator", "Bea")
    other.signup("other@example.org", "developer", "Other AI")
    before = len(log.entries(app.state.ws))
    for stranger in (bea, other):
        assert stranger.get(f"/statements/{mine.id}").status_code == 404
        assert mine.id not in stranger.get("/statements").text
    payment = {"amount": "1.00", "paid_on": "2026-11-01", "reference": "x"}
    assert other.post("/statements", f"/statements/{mine.id}/payment", payment).status_code == 404
    assert w.ada.post("/statements", f"/statements/{mine.id}/payment", payment).status_code == 403
    assert len(log.entries(app.state.ws)) == before


def test_a_published_report_is_public_with_its_credits_and_a_changed_one_is_not(
    app: FastAPI,
) -> None:
    w, model_id, _ = _licensed_and_trained(app)
    other = Visitor(app)
    other.signup("other@example.org", "developer", "Other AI")
    assert other.post("/models", f"/models/{model_id}/publish", {}).status_code == 403
    published = w.dev.post("/models", f"/models/{model_id}/publish", {})
    assert published.status_code == 303, published.text
    assert finish(w.dev, published) == f"/reports/{model_id}"
    assert other.get(published.headers["location"]).status_code == 403
    public = Visitor(app)
    listing = public.get("/reports").text
    assert "summ 1" in listing and "Devco" in listing
    page = public.get(f"/reports/{model_id}")
    assert page.status_code == 200
    assert "Ada Quill" in page.text and "The Book of Ruth" in page.text  # the credits
    html = public.get(f"/reports/{model_id}/files/report.html")
    assert html.status_code == 200 and "sandbox" in html.headers["content-security-policy"]
    receipt = public.get(f"/reports/{model_id}/files/publication.json").json()
    assert receipt["model_version"] == model_id
    assert public.get(f"/reports/{model_id}/files/..%2F..%2Fregistry.db").status_code == 404
    assert public.get(f"/reports/{model_id}/files/nothing.txt").status_code == 404
    folder = reports_dir(app.state.ws, app.state.settings.data_dir) / model_id
    report = json.loads((folder / "report.json").read_text())
    report["model"]["name"] = "something else"
    (folder / "report.json").write_text(json.dumps(report))
    assert "summ 1" not in public.get("/reports").text
    assert public.get(f"/reports/{model_id}").status_code == 400


def test_a_works_removal_certificate_is_listed_for_its_own_parties_only(app: FastAPI) -> None:
    w, _, cleared = _licensed_and_trained(app)
    ws, data_dir = app.state.ws, app.state.settings.data_dir
    removal = remove_work(
        ws, w.work_id, cleared, source_dir=scan_outputs(ws, cleared, root=data_dir)
    )
    page = w.ada.get(f"/works/{w.work_id}").text
    assert "Download the certificate" in page and cleared in page
    removal_id = removal.removal.id
    url = f"/works/{w.work_id}/removals/{removal_id}"
    got = w.ada.get(url)
    assert got.status_code == 200 and got.headers["content-type"] == "application/json"
    assert got.content == removal.certificate.read_bytes()
    assert w.dev.get(url).status_code == 403
    assert w.ada.get(f"/works/{w.work_id}/removals/rm_nothing").status_code == 404
