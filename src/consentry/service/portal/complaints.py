"""Complaints: a creator files one and follows it; the developer answers; either escalates.

A creator or rightsholder files a complaint from its work's page about a
dataset version or a model that used the work, with an optional evidence file
(hashed and matched, never kept) or a manifest row; the scan's manifest kept
by the portal is checked at once. The developer accepts (with a remedy) or
rejects (with a reason); the complainant settles, withdraws or escalates.
Every move is an action of :mod:`consentry.actions.complaints`, whose rules
say who may make it. Administrator accounts see every complaint and decide
the escalated ones (:mod:`consentry.service.portal.complaint_decide`).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from consentry.actions.accounts import Account
from consentry.actions.catalogue import work_consent
from consentry.actions.complaint_decisions import is_side
from consentry.actions.complaint_remedies import RemedyArgs, answer_and_carry_out
from consentry.actions.complaints import (
    Subject,
    escalate_complaint,
    file_complaint,
    list_complaints,
    resolve_complaint,
    show_complaint,
)
from consentry.actions.inbox import complaint_subject, names
from consentry.actions.scan_results import MANIFEST, safe_file_name, scans_dir, work_usage
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing.complaints import Complaint, Outcome, RejectReason, Remedy
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.portal import complaint_decide
from consentry.service.portal.complaint_answer import answer_fields
from consentry.service.portal.complaint_words import WORDS
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
router.include_router(complaint_decide.router)
SignedIn = Annotated[Account, Depends(signed_in)]
Text = Annotated[str, Form(max_length=4000)]
Short = Annotated[str, Form(max_length=200)]


def _mine(account: Account) -> set[str]:
    """The parties this account acts for (its own first)."""
    return set(account.acts_for) | ({account.party_id} if account.party_id else set())


def _side(account: Account, complaint: Complaint) -> str:
    """``complainant`` or ``developer``; Forbidden for anyone else."""
    if complaint.complainant_id in _mine(account) and account.kind != "developer":
        return "complainant"
    if account.kind == "developer" and complaint.developer_id == account.party_id:
        return "developer"
    raise Forbidden("only the complainant and the developer see a complaint")


def _viewer(account: Account, complaint: Complaint) -> str:
    """The side the account is on, or ``administrator`` (who sees every complaint)."""
    if account.is_admin and not is_side(account, complaint):
        return "administrator"
    return _side(account, complaint)


@router.get("/complaints", name="portal_complaints")
def complaints_list(request: Request, account: SignedIn) -> Response:
    """Complaints filed (a creator or rightsholder) or to answer (a developer), newest first.

    An administrator gets the escalated complaints waiting for its decision.
    """
    ws = workspace(request)
    if account.is_admin:
        return complaint_decide.escalated_page(request, account)
    if account.party_id is None:
        raise Forbidden("complaints are for creators, rightsholders and developers")
    found = {}
    for party in sorted(_mine(account)):
        for complaint, verdict in list_complaints(ws, party_ref=party):
            try:
                _side(account, complaint)
            except Forbidden:
                continue
            found[complaint.id] = (complaint, verdict)
    rows = sorted(found.values(), key=lambda cv: cv[0].filed_at, reverse=True)
    return complaint_decide.list_page(
        request, account, "complaints.html", "Complaints", rows, now=ws.now()
    )


@router.get("/works/{work_id}/complain", name="portal_complaint_new")
def complaint_form(request: Request, work_id: str, account: SignedIn) -> Response:
    """The form to file a complaint about a work's use, listing where it was found."""
    ws = workspace(request)
    consent = work_consent(ws, work_id)
    if account.kind == "developer" or not set(consent.work.party_ids) & _mine(account):
        raise Forbidden("only the work's own creators and rightsholders can complain")
    usage = work_usage(ws, work_id, root=service_settings(request).data_dir)
    return page(
        request,
        "complaint_new.html",
        account,
        title=f"Complain about the use of “{consent.work.title}”",
        work=consent.work,
        usage=usage,
    )


@router.post("/works/{work_id}/complain", dependencies=[Depends(require_csrf)])
async def complaint_submit(
    request: Request,
    work_id: str,
    account: SignedIn,
    dataset: Short = "",
    model: Short = "",
    model_version: Short = "",
    statement: Text = "",
    item: Short = "",
    answer_days: Short = "30",
    evidence: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """File the complaint; the kept manifests of the scans it concerns are checked at once."""
    ws = workspace(request)
    consent = work_consent(ws, work_id)
    party = next((p for p in consent.work.party_ids if p in _mine(account)), None)
    if account.kind == "developer" or party is None:
        raise Forbidden("only the work's own creators and rightsholders can complain")
    if not answer_days.strip().isdigit():
        raise InvalidInput("the days to answer must be a whole number, 1 to 365")
    if bool(model.strip()) != bool(model_version.strip()):
        raise InvalidInput("name the model and its version, or neither")
    subject = Subject(
        dataset.strip() or None,
        (model.strip(), model_version.strip()) if model.strip() else None,
    )
    developer, datasets = complaint_subject(ws, subject.dataset_version_id, subject.model)
    kept = scans_dir(ws, service_settings(request).data_dir)
    manifests = [kept / d / MANIFEST for d in datasets if (kept / d / MANIFEST).is_file()]
    upload = await evidence.read() if evidence is not None and evidence.filename else None
    with tempfile.TemporaryDirectory(prefix="consentry-complaint-") as folder:
        files = []
        if upload is not None and evidence is not None:
            path = Path(folder) / safe_file_name(evidence.filename or "evidence")
            path.write_bytes(upload)
            files.append(path)
        filed = file_complaint(
            ws,
            party,
            developer,
            work_id,
            subject,
            answer_within_days=int(answer_days),
            statement=statement.strip() or None,
            files=files,
            items=[item.strip()] if item.strip() else [],
            manifests=manifests,
        )
    return see_other(
        request, "portal_complaint", "complaint-filed", complaint_id=filed.complaint.id
    )


@router.get("/complaints/{complaint_id}", name="portal_complaint")
def complaint_page(request: Request, complaint_id: str, account: SignedIn) -> Response:
    """One complaint: what was found, its answer, and the moves this side may make."""
    ws = workspace(request)
    record = show_complaint(ws, complaint_id)
    complaint = record.complaint
    side = _viewer(account, complaint)
    titles, parties = names(
        ws, [complaint.work_id], {complaint.complainant_id, complaint.developer_id}
    )
    return page(
        request,
        "complaint.html",
        account,
        title=f"Complaint {complaint.id}",
        record=record,
        c=complaint,
        side=side,
        titles=titles,
        parties=parties,
        words=WORDS,
        now=ws.now(),
        remedies=tuple(Remedy),
        reasons=tuple(RejectReason),
    )


@router.post(
    "/complaints/{complaint_id}/answer",
    name="portal_complaint_answer",
    dependencies=[Depends(require_csrf)],
)
async def answer_submit(request: Request, complaint_id: str, account: SignedIn) -> Response:
    """The developer accepts the complaint with a remedy, or rejects it with a reason."""
    ws = workspace(request)
    complaint = show_complaint(ws, complaint_id).complaint
    if _side(account, complaint) != "developer" or account.party_id is None:
        raise Forbidden("only the developer answers a complaint")
    form = await request.form()
    kind, extra = answer_fields({k: str(v) for k, v in form.items() if isinstance(v, str)})
    args = RemedyArgs(
        licence_id=extra.get("licence_id"),
        amount=extra.get("amount"),
        currency=extra.get("currency"),
    )
    answer_and_carry_out(
        ws,
        complaint_id,
        account.party_id,
        kind,
        remedy=extra.get("remedy"),
        reason=extra.get("reason"),
        args=args,
        note=extra.get("note"),
    )
    return see_other(request, "portal_complaint", "complaint-answered", complaint_id=complaint_id)


@router.post(
    "/complaints/{complaint_id}/escalate",
    name="portal_complaint_escalate",
    dependencies=[Depends(require_csrf)],
)
def escalate_submit(
    request: Request, complaint_id: str, account: SignedIn, note: Text = ""
) -> Response:
    """Either side takes the complaint to an administrator (when the rules allow it)."""
    ws = workspace(request)
    complaint = show_complaint(ws, complaint_id).complaint
    side = _side(account, complaint)
    by = complaint.complainant_id if side == "complainant" else complaint.developer_id
    escalate_complaint(ws, complaint_id, by, note=note.strip() or None, administrators=())
    return see_other(request, "portal_complaint", "complaint-escalated", complaint_id=complaint_id)


@router.post(
    "/complaints/{complaint_id}/resolve",
    name="portal_complaint_resolve",
    dependencies=[Depends(require_csrf)],
)
def resolve_submit(
    request: Request,
    complaint_id: str,
    account: SignedIn,
    outcome: Short = "",
    note: Text = "",
) -> Response:
    """The complainant settles on the answer, or withdraws the complaint."""
    ws = workspace(request)
    complaint = show_complaint(ws, complaint_id).complaint
    if _side(account, complaint) != "complainant":
        raise Forbidden("only the complainant settles or withdraws a complaint here")
    if outcome not in {Outcome.SETTLED.value, Outcome.WITHDRAWN.value}:
        raise InvalidInput("choose to settle or to withdraw")
    resolve_complaint(
        ws,
        complaint_id,
        complaint.complainant_id,
        Outcome(outcome),
        note=note.strip() or None,
        administrators=(),
    )
    return see_other(request, "portal_complaint", "complaint-resolved", complaint_id=complaint_id)
