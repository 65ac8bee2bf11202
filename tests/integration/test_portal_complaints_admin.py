"""Administrators decide escalated complaints in the portal (SQLite and PostgreSQL).

A creator's complaint is rejected by the developer and escalated; the
administrator account finds it on ``/complaints``, reads it, and upholds it
(the work removed from the dataset version, or a payment recorded) or
dismisses it. The complainant and the developer see the decision; nobody else
can make it, a post without a CSRF token is refused, and a refused decision
records nothing.
"""

from __future__ import annotations

from fastapi import FastAPI
from portal_client import PASSWORD, Visitor
from portal_world import ESCAPED, EVIL, TEXTS, World, world

from consentry.actions import log
from consentry.actions.accounts import signup
from consentry.actions.complaint_remedies import remedies_of
from consentry.actions.complaints import show_complaint
from consentry.licensing.complaints import ComplaintState, Outcome, Remedy


def _escalated(w: World) -> str:
    """Ada complains about Devco's scan; Devco rejects it; Ada escalates it."""
    form = f"/works/{w.work_id}/complain"
    filed = w.ada.post(
        form,
        form,
        {"dataset": w.dataset_id, "statement": "my book is in it", "answer_days": "14"},
        files={"evidence": ("found.txt", (TEXTS / "ruth.txt").read_bytes(), "text/plain")},
    )
    assert filed.status_code == 303, filed.text
    complaint_id = filed.headers["location"].split("/complaints/")[1].split("?")[0]
    page = f"/complaints/{complaint_id}"
    reject = {"kind": "reject", "reason": "not_a_copy"}
    assert w.dev.post(page, f"{page}/answer", reject).status_code == 303
    assert w.ada.post(page, f"{page}/escalate", {"note": "it is"}).status_code == 303
    return complaint_id


def _admin(app: FastAPI) -> Visitor:
    signup(app.state.ws, "admin@example.org", PASSWORD, "administrator", "")
    admin = Visitor(app)
    assert admin.login("admin@example.org").status_code == 303
    return admin


def test_the_administrator_upholds_and_the_work_is_removed(app: FastAPI) -> None:
    w = world(app)
    complaint_id = _escalated(w)
    admin = _admin(app)
    listed = admin.get("/complaints")
    assert listed.status_code == 200 and complaint_id in listed.text
    assert "Complaints to decide" in listed.text
    page = f"/complaints/{complaint_id}"
    shown = admin.get(page)
    assert shown.status_code == 200 and "Decide the complaint" in shown.text
    assert "/escalate" not in shown.text and "Send the answer" not in shown.text
    before = len(log.entries(app.state.ws))
    no_remedy = admin.post(page, f"{page}/decide", {"outcome": "upheld"})
    assert no_remedy.status_code == 400 and "remedy" in no_remedy.text
    assert len(log.entries(app.state.ws)) == before
    decided = admin.post(
        page, f"{page}/decide", {"outcome": "upheld", "remedy": "remove", "note": EVIL}
    )
    assert decided.status_code == 303, decided.text
    done = show_complaint(app.state.ws, complaint_id).complaint
    assert done.state is ComplaintState.RESOLVED and done.resolution is not None
    assert done.resolution.outcome is Outcome.UPHELD and done.resolution.remedy is Remedy.REMOVE
    assert done.resolution.by_account
    [remedy] = remedies_of(app.state.ws, complaint_id)
    assert remedy.removal_id is not None and remedy.dataset_version_id == w.dataset_id
    for visitor in (w.ada, w.dev, admin):
        html = visitor.get(page).text
        assert "upheld by an administrator: remove the work" in html
        assert "<script>" not in html and ESCAPED in html
    assert "Decide the complaint" not in admin.get(page).text
    assert complaint_id not in admin.get("/complaints").text  # decided: no longer waiting


def test_the_administrator_records_a_payment_or_dismisses(app: FastAPI) -> None:
    w = world(app)
    first, second = _escalated(w), _escalated(w)
    admin = _admin(app)
    page = f"/complaints/{first}"
    paid = admin.post(
        page,
        f"{page}/decide",
        {"outcome": "upheld", "remedy": "pay", "amount": "75.50", "currency": "gbp"},
    )
    assert paid.status_code == 303, paid.text
    [remedy] = remedies_of(app.state.ws, first)
    assert remedy.amount_minor == 7550 and remedy.currency == "GBP"
    page = f"/complaints/{second}"
    dismissed = admin.post(page, f"{page}/decide", {"outcome": "dismissed"})
    assert dismissed.status_code == 303, dismissed.text
    assert "dismissed by an administrator" in w.ada.get(page).text
    assert remedies_of(app.state.ws, second) == []


def test_nobody_else_decides_and_refusals_record_nothing(app: FastAPI) -> None:
    w = world(app)
    complaint_id = _escalated(w)
    admin = _admin(app)
    bea = Visitor(app)
    bea.signup("bea@example.org", "creator", "Bea")
    page = f"/complaints/{complaint_id}"
    before = len(log.entries(app.state.ws))
    dismiss = {"outcome": "dismissed"}
    for visitor, form_page in ((w.ada, page), (w.dev, page), (bea, "/complaints")):
        assert visitor.post(form_page, f"{page}/decide", dismiss).status_code == 403
        assert "Decide the complaint" not in visitor.get(page).text
    forged = admin.client.post(f"{page}/decide", data=dismiss)
    assert forged.status_code == 403  # no CSRF token
    for fields in ({"outcome": "withdrawn"}, {"outcome": "upheld", "remedy": "pay"}):
        assert admin.post(page, f"{page}/decide", fields).status_code == 400
    withdraw = admin.post(page, f"{page}/resolve", {"outcome": "withdrawn"})
    assert withdraw.status_code == 403
    assert len(log.entries(app.state.ws)) == before
    assert show_complaint(app.state.ws, complaint_id).complaint.state is ComplaintState.ESCALATED
    signed_out = Visitor(app).client.get("/complaints")
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
