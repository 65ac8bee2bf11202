"""Complaints in the portal over HTTP, on SQLite and PostgreSQL: file, check, answer, settle.

A creator files a complaint from its work's page about a developer's dataset
version (the kept manifest is checked at once, and an evidence file is
matched); the developer answers; the creator settles or escalates. Nobody
else sees or moves a complaint, and refused posts record nothing.
"""

from __future__ import annotations

from fastapi import FastAPI
from portal_client import Visitor
from portal_world import ESCAPED, EVIL, TEXTS, World, ask, world

from consentry.actions import log
from consentry.actions.complaints import show_complaint
from consentry.actions.models import list_model_versions
from consentry.licensing.complaints import ComplaintState, Outcome, Remedy
from consentry.licensing.complaints_check import Verdict


def _trained_on_everything(w: World) -> None:
    """Devco records a model version trained on all of its scan, excluded items too."""
    added = w.dev.post("/models", "/models", {"name": "summ", "version": "1"})
    assert added.status_code == 303
    model = next(m for m, _ in list_model_versions(w.app.state.ws) if m.name == "summ")
    trained = w.dev.post(
        "/models",
        "/models/training",
        {"model": model.id, "dataset_id": w.dataset_id, "used": "all"},
    )
    assert trained.status_code == 303, trained.text


def _file(w: World, **fields: str) -> str:
    page = f"/works/{w.work_id}/complain"
    form = w.ada.get(page)
    assert form.status_code == 200 and w.dataset_id in form.text
    response = w.ada.post(
        page,
        page,
        {"dataset": w.dataset_id, "statement": EVIL, "answer_days": "14", **fields},
        files={"evidence": ("found.txt", (TEXTS / "ruth.txt").read_bytes(), "text/plain")},
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/complaints/")[1].split("?")[0]


def test_a_creator_files_a_complaint_and_settles_on_the_developers_answer(app: FastAPI) -> None:
    w = world(app)
    _trained_on_everything(w)
    assert "Complain about a use of this work" in w.ada.get(f"/works/{w.work_id}").text
    complaint_id = _file(w)
    record = show_complaint(app.state.ws, complaint_id)
    assert record.check.verdict is Verdict.UNLICENSED_USE
    assert record.evidence[0].holds_work is True
    mine = w.ada.get(f"/complaints/{complaint_id}").text
    assert "the work was used without a licence" in mine and "it matches the work" in mine
    assert "<script>" not in mine and ESCAPED in mine
    assert complaint_id in w.dev.get("/complaints").text
    answer = {"kind": "accept", "remedy": "pay", "amount": "120.00", "currency": "GBP"}
    page = f"/complaints/{complaint_id}"
    answered = w.dev.post(page, f"{page}/answer", answer)
    assert answered.status_code == 303, answered.text
    shown = w.ada.get(page).text
    assert "Accepted: pay for the past use (120.00 GBP)" in shown
    settled = w.ada.post(page, f"{page}/resolve", {"outcome": "settled"})
    assert settled.status_code == 303, settled.text
    done = show_complaint(app.state.ws, complaint_id).complaint
    assert done.state is ComplaintState.RESOLVED and done.resolution is not None
    assert done.resolution.outcome is Outcome.SETTLED and done.resolution.remedy is Remedy.PAY
    assert "settled on the developer" in w.ada.get(page).text


def test_a_rejected_complaint_is_escalated(app: FastAPI) -> None:
    w = world(app)
    complaint_id = _file(w)
    assert show_complaint(app.state.ws, complaint_id).check.verdict is Verdict.EXCLUDED
    page = f"/complaints/{complaint_id}"
    early = w.ada.post(page, f"{page}/escalate", {"note": "no answer"})
    assert early.status_code == 400  # not overdue, not answered: not yet
    reject = {"kind": "reject", "reason": "not_used", "note": "we never trained on it"}
    assert w.dev.post(page, f"{page}/answer", reject).status_code == 303
    escalated = w.ada.post(page, f"{page}/escalate", {"note": "they did"})
    assert escalated.status_code == 303, escalated.text
    assert show_complaint(app.state.ws, complaint_id).complaint.state is ComplaintState.ESCALATED
    assert "with an administrator" in w.dev.get(page).text


def test_nobody_else_sees_or_moves_a_complaint(app: FastAPI) -> None:
    w = world(app)
    complaint_id = _file(w)
    bea, other = Visitor(app), Visitor(app)
    bea.signup("bea@example.org", "creator", "Bea")
    other.signup("other@example.org", "developer", "Other AI")
    page = f"/complaints/{complaint_id}"
    before = len(log.entries(app.state.ws))
    accept = {"kind": "accept", "remedy": "remove"}
    for stranger in (bea, other):
        assert stranger.get(page).status_code == 403
        assert complaint_id not in stranger.get("/complaints").text
        assert stranger.post("/complaints", f"{page}/answer", accept).status_code == 403
        assert (
            stranger.post("/complaints", f"{page}/resolve", {"outcome": "withdrawn"}).status_code
            == 403
        )
        assert stranger.get(f"/works/{w.work_id}/complain").status_code == 403
    assert w.ada.post(page, f"{page}/answer", accept).status_code == 403
    assert w.dev.post(page, f"{page}/resolve", {"outcome": "withdrawn"}).status_code == 403
    forged = w.dev.client.post(f"{page}/answer", data=accept)
    assert forged.status_code == 403
    bad = w.dev.post(page, f"{page}/answer", {"kind": "accept", "remedy": "pay", "amount": "x"})
    assert bad.status_code == 400
    filed_by_stranger = bea.post(
        "/complaints", f"/works/{w.work_id}/complain", {"dataset": w.dataset_id}
    )
    assert filed_by_stranger.status_code == 403
    assert len(log.entries(app.state.ws)) == before
    assert show_complaint(app.state.ws, complaint_id).complaint.state is ComplaintState.OPEN


def test_html_in_titles_is_escaped_on_request_and_complaint_pages(app: FastAPI) -> None:
    w = world(app, title=EVIL)
    request_id = ask(w.dev, w.dataset_id, attribution=EVIL, models=EVIL)
    complaint_id = _file(w)
    pages = {
        w.ada: [
            "/requests",
            f"/requests/{request_id}",
            "/complaints",
            f"/complaints/{complaint_id}",
            f"/works/{w.work_id}/complain",
            f"/works/{w.work_id}",
        ],
        w.dev: [
            "/requests",
            f"/requests/{request_id}",
            "/complaints",
            f"/complaints/{complaint_id}",
        ],
    }
    for visitor, paths in pages.items():
        for path in paths:
            html = visitor.get(path).text
            assert "<script>" not in html, path
            assert ESCAPED in html, path


def test_a_complaint_with_bad_fields_is_refused_and_nothing_filed(app: FastAPI) -> None:
    w = world(app)
    page = f"/works/{w.work_id}/complain"
    before = len(log.entries(app.state.ws))
    for fields, said in (
        ({"dataset": w.dataset_id, "answer_days": "soon"}, "whole number"),
        ({"dataset": w.dataset_id, "answer_days": "400"}, "365"),
        ({"dataset": "", "model": ""}, "name the dataset version or the model"),
        ({"dataset": "", "model": "summ", "model_version": ""}, "model and its version"),
        ({"dataset": "ds_nothing"}, "ds_nothing"),
    ):
        refused = w.ada.post(page, page, fields)
        assert refused.status_code in {400, 404} and said in refused.text, (fields, refused.text)
    assert len(log.entries(app.state.ws)) == before
