"""Complaints (redress): a work's party files; the developer answers; either escalates.

An accepting answer's remedy (remove, license, pay) is carried out with the
answer (:mod:`consentry.actions.complaint_remedies`). Administrator accounts
list escalated complaints and decide them (:mod:`consentry.actions.complaint_decisions`),
as the parties named in ``$CONSENTRY_ADMINISTRATORS`` do from the CLI.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from consentry.actions import authorise_complaints as authorise
from consentry.actions import complaint_decisions as decisions
from consentry.actions import complaints as actions
from consentry.actions.complaint_remedies import (
    RemedyArgs,
    answer_and_carry_out,
    resolve_and_carry_out,
)
from consentry.licensing.complaints import AnswerKind, Complaint, Outcome
from consentry.service.api.bodies_complaints import (
    ComplaintAnswerIn,
    ComplaintIn,
    ComplaintOut,
    DecideIn,
    EscalateIn,
    ResolveIn,
)
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["complaints"])
Me = Annotated[Account, Depends(current_account)]


def _out(request: Request, complaint: Complaint) -> ComplaintOut:
    record = actions.show_complaint(workspace(request), complaint.id)
    return ComplaintOut.of(record.complaint, record.check.verdict, record)


@router.post("/complaints", status_code=201, response_model=ComplaintOut)
def file(body: ComplaintIn, account: Me, request: Request) -> ComplaintOut:
    """File a complaint as a creator or rightsholder of the work; checked at once."""
    ws = workspace(request)
    complainant = authorise.may_file(ws, account, body.party)
    model = (body.model.name, body.model.version) if body.model is not None else None
    filed = actions.file_complaint(
        ws,
        complainant,
        body.developer,
        body.work_id,
        actions.Subject(body.dataset_version, model),
        answer_within_days=body.answer_within_days,
        statement=body.statement,
        items=body.items,
    )
    return ComplaintOut.of(filed.complaint, filed.check.verdict, filed)


@router.get("/complaints", response_model=list[ComplaintOut])
def list_complaints(account: Me, request: Request) -> list[ComplaintOut]:
    """Complaints you filed or that are against you (every one, for administrators)."""
    found = actions.list_complaints(workspace(request))
    return [ComplaintOut.of(c, v) for c, v in found if authorise.sees(account, c)]


@router.get("/complaints/escalated", response_model=list[ComplaintOut])
def escalated(account: Me, request: Request) -> list[ComplaintOut]:
    """Escalated complaints waiting for a decision: administrators only (not their own)."""
    found = decisions.escalated_complaints(workspace(request), account)
    return [ComplaintOut.of(c, v) for c, v in found]


@router.get("/complaints/{complaint_id}", response_model=ComplaintOut)
def show(complaint_id: str, account: Me, request: Request) -> ComplaintOut:
    """One complaint with its evidence (hashes only) and the check made when it was filed."""
    ws = workspace(request)
    authorise.may_see(ws, account, complaint_id)
    record = actions.show_complaint(ws, complaint_id)
    return ComplaintOut.of(record.complaint, record.check.verdict, record)


@router.post("/complaints/{complaint_id}/answer", response_model=ComplaintOut)
def answer(
    complaint_id: str, body: ComplaintAnswerIn, account: Me, request: Request
) -> ComplaintOut:
    """Accept with a remedy (carried out now) or reject with a reason: its developer only."""
    ws = workspace(request)
    developer = authorise.may_answer(ws, account, complaint_id)
    args = RemedyArgs(
        licence_id=body.licence_id,
        amount=body.amount,
        currency=body.currency,
        dataset_id=body.dataset_version,
    )
    carried = answer_and_carry_out(
        ws,
        complaint_id,
        developer,
        AnswerKind(body.kind),
        remedy=body.remedy,
        reason=body.reason,
        args=args,
        note=body.note,
    )
    return _out(request, carried.complaint)


@router.post("/complaints/{complaint_id}/escalate", response_model=ComplaintOut)
def escalate(complaint_id: str, body: EscalateIn, account: Me, request: Request) -> ComplaintOut:
    """Take the complaint to an administrator (its complainant or developer, when allowed)."""
    ws = workspace(request)
    party = authorise.acting_party(ws, account, complaint_id)
    done = actions.escalate_complaint(ws, complaint_id, party, note=body.note)
    return _out(request, done)


@router.post("/complaints/{complaint_id}/resolve", response_model=ComplaintOut)
def resolve(complaint_id: str, body: ResolveIn, account: Me, request: Request) -> ComplaintOut:
    """End the complaint: settled or withdrawn by its complainant."""
    ws = workspace(request)
    party = authorise.acting_party(ws, account, complaint_id)
    carried = resolve_and_carry_out(ws, complaint_id, party, body.outcome, note=body.note)
    return _out(request, carried.complaint)


@router.post("/complaints/{complaint_id}/decide", response_model=ComplaintOut)
def decide(complaint_id: str, body: DecideIn, account: Me, request: Request) -> ComplaintOut:
    """Uphold an escalated complaint with a remedy (carried out now) or dismiss it: administrators.

    Never by an administrator that acts for the complainant or the developer.
    """
    ws = workspace(request)
    decisions.require_administrator(account)
    args = RemedyArgs(
        licence_id=body.licence_id,
        amount=body.amount,
        currency=body.currency,
        dataset_id=body.dataset_version,
    )
    carried = decisions.decide_complaint(
        ws, account, complaint_id, Outcome(body.outcome), remedy=body.remedy, args=args,
        note=body.note,
    )  # fmt: skip
    return _out(request, carried.complaint)
