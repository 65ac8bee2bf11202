"""An administrator decides an escalated complaint in a real headless Chromium.

Ada's complaint about Devco's model was rejected and escalated (set up through
the actions); the administrator signs in, opens Complaints, reads it and
upholds it with a payment, using the keyboard-reachable form; Ada then sees
the decision on her complaint's page. Screenshots of each step are kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from consentry.actions.accounts import signup
from consentry.actions.complaint_remedies import remedies_of
from consentry.actions.complaints import (
    Subject,
    answer_complaint,
    escalate_complaint,
    file_complaint,
)
from consentry.actions.models import add_model_version
from consentry.actions.works import add_work
from consentry.licensing.complaints import AnswerKind, RejectReason

ROOT = Path(__file__).resolve().parents[2]
RUTH = ROOT / "src" / "consentry" / "samples" / "texts" / "ruth.txt"
PASSWORD = "a long enough password"

pytestmark = pytest.mark.browser


def _escalated(app: Any) -> str:
    ws = app.state.ws
    ada = signup(ws, "ada@example.org", PASSWORD, "creator", "Ada Quill")
    dev = signup(ws, "dev@example.org", PASSWORD, "developer", "Devco")
    signup(ws, "admin@example.org", PASSWORD, "administrator", "")
    assert ada.party_id is not None and dev.party_id is not None
    work = add_work(
        ws, RUTH, title="The Book of Ruth", creators=[{"id": ada.party_id, "name": "Ada Quill"}]
    )
    add_model_version(ws, "summ", "1", developer_ref=dev.party_id)
    filed = file_complaint(ws, ada.party_id, dev.party_id, work.id, Subject(model=("summ", "1")))
    cid = filed.complaint.id
    answer_complaint(ws, cid, dev.party_id, AnswerKind.REJECT, reason=RejectReason.NOT_USED)
    escalate_complaint(ws, cid, ada.party_id, administrators=())
    return cid


def _login(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_an_administrator_upholds_an_escalated_complaint(
    chromium: Any, server: tuple[str, Any], artefacts: Path
) -> None:
    base, app = server
    complaint_id = _escalated(app)
    admin = chromium.new_context(viewport={"width": 390, "height": 844}).new_page()  # a phone
    _login(admin, base, "admin@example.org")
    admin.get_by_role("link", name="Complaints").click()
    admin.wait_for_url(f"{base}/complaints")
    admin.screenshot(path=str(artefacts / "1-to-decide.png"), full_page=True)
    admin.get_by_role("link", name=complaint_id).click()
    admin.wait_for_url(f"{base}/complaints/{complaint_id}")
    admin.get_by_label("Uphold it", exact=False).check()
    admin.get_by_label("pay for the past use").check()
    admin.get_by_label("The amount (when the developer pays)").fill("30.00")
    admin.get_by_label("A note for both sides", exact=False).fill("the answer did not hold")
    admin.get_by_role("button", name="Record the decision").click()
    admin.wait_for_url(f"{base}/complaints/{complaint_id}?note=complaint-resolved")
    assert "upheld by an administrator: pay for the past use" in admin.content()
    admin.screenshot(path=str(artefacts / "2-decided.png"), full_page=True)
    [remedy] = remedies_of(app.state.ws, complaint_id)
    assert remedy.amount_minor == 3000 and remedy.currency == "GBP"

    ada = chromium.new_context().new_page()
    _login(ada, base, "ada@example.org")
    ada.goto(f"{base}/complaints/{complaint_id}")
    assert "upheld by an administrator: pay for the past use" in ada.content()
    assert "the answer did not hold" in ada.content()
    ada.screenshot(path=str(artefacts / "3-complainant-sees-it.png"), full_page=True)
