"""Administrators decide escalated complaints in the portal.

An administrator account's ``/complaints`` lists the escalated complaints
waiting for a decision (not those it is a party to); a complaint's page then
offers the decision: uphold it with a remedy (carried out at once: remove the
work, link a licence for the past, or record a payment) or dismiss it. Every
decision is :func:`consentry.actions.complaint_decisions.decide_complaint`,
which refuses anyone else.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.complaint_decisions import (
    decide_complaint,
    escalated_complaints,
    require_administrator,
)
from consentry.actions.complaint_remedies import RemedyArgs
from consentry.actions.inbox import names
from consentry.licensing.complaints import Complaint
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.complaint_answer import decision_fields
from consentry.service.portal.complaint_words import WORDS
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]


def escalated_page(request: Request, account: Account) -> Response:
    """The administrator's list: escalated complaints waiting for a decision, oldest first."""
    rows = escalated_complaints(workspace(request), account)
    return list_page(request, account, "complaints_escalated.html", "Complaints to decide", rows)


def list_page(
    request: Request,
    account: Account,
    template: str,
    title: str,
    rows: Sequence[tuple[Complaint, Any]],
    **extra: Any,
) -> Response:
    """A page listing complaints (each with its check), works and parties named in words."""
    titles, parties = names(
        workspace(request),
        {c.work_id for c, _ in rows},
        {p for c, _ in rows for p in (c.complainant_id, c.developer_id)},
    )
    return page(
        request,
        template,
        account,
        title=title,
        rows=rows,
        titles=titles,
        parties=parties,
        words=WORDS,
        **extra,
    )


@router.post(
    "/complaints/{complaint_id}/decide",
    name="portal_complaint_decide",
    dependencies=[Depends(require_csrf)],
)
async def decide_submit(request: Request, complaint_id: str, account: SignedIn) -> Response:
    """Uphold (with the remedy carried out now) or dismiss an escalated complaint."""
    require_administrator(account)
    form = await request.form()
    outcome, extra = decision_fields({k: str(v) for k, v in form.items() if isinstance(v, str)})
    args = RemedyArgs(
        licence_id=extra.get("licence_id"),
        amount=extra.get("amount"),
        currency=extra.get("currency"),
        dataset_id=extra.get("dataset_id"),
    )
    decide_complaint(
        workspace(request),
        account,
        complaint_id,
        outcome,
        remedy=extra.get("remedy"),
        args=args,
        note=extra.get("note"),
    )
    return see_other(request, "portal_complaint", "complaint-resolved", complaint_id=complaint_id)
