"""Answering a request in the portal: as a work's own party, or on a creator's mandate.

A creator or rightsholder answers for its own works (grant, refuse with an
optional reason, or counter with other fees). A rightsholder holding a
creator's mandate answers for that creator's works on the creator's behalf:
the form names the creator and the mandate, the page says so plainly, and
the answer is recorded as given by the agent under that mandate. Who may is
:func:`consentry.actions.authorise_requests.may_answer`; what is allowed (the
creator's own answer always stands) is the rules' of
:func:`consentry.actions.answers.answer_request`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.answers import answer_request
from consentry.actions.authorise_requests import may_answer
from consentry.actions.inbox import work_terms
from consentry.actions.requests import show_request
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing.types import AnswerKind, Terms, WorkStatus
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.fees_form import fee_terms_from_form
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
Short = Annotated[str, Form(max_length=80)]


def side(account: Account) -> str:
    """``developer`` or ``party`` (a creator or rightsholder); anyone else is refused."""
    if account.party_id is None:
        raise Forbidden("requests are for creators, rightsholders and developers")
    if account.kind == "developer":
        return "developer"
    if account.kind in {"creator", "rightsholder"}:
        return "party"
    raise Forbidden("requests are for creators, rightsholders and developers")


def acting(account: Account, status: WorkStatus) -> str | None:
    """The party of this work the account answers for as itself, if any (its own party first)."""
    ids = [p.party_id for p in status.parties]
    if account.party_id in ids:
        return account.party_id
    return next((p for p in ids if p in account.acts_for), None)


@router.post(
    "/requests/{request_id}/answer",
    name="portal_request_answer",
    dependencies=[Depends(require_csrf)],
)
async def answer_submit(
    request: Request,
    request_id: str,
    account: SignedIn,
    work_id: Short = "",
    answer: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
    creator: Short = "",
    mandate_id: Short = "",
) -> Response:
    """Record one answer for one work: as its own party, or for ``creator`` on ``mandate_id``."""
    ws = workspace(request)
    if side(account) != "party":
        raise Forbidden("only the work's creators and rightsholders answer a request")
    view = show_request(ws, request_id)
    status = next((s for s in view.works if s.work_id == work_id), None)
    if status is None:
        raise Forbidden("only the work's own parties, or their agents on a mandate, answer for it")
    answered_by = None
    if mandate_id:
        party, answered_by = may_answer(ws, account, request_id, creator, mandate_id)
    else:
        own = acting(account, status)
        if own is None:
            raise Forbidden("only the work's own creators and rightsholders can answer for it")
        party = own
    kind = _kind(answer)
    counter = await _counter(request, kind, work_terms(view, work_id))
    answer_request(
        ws,
        request_id,
        party,
        kind,
        work_ids=[work_id],
        answered_by=answered_by,
        mandate_id=mandate_id or None,
        reason=reason.strip() or None if kind is AnswerKind.REFUSE else None,
        counter_terms=counter,
    )
    return see_other(request, "portal_request", "answered", request_id=request_id)


def _kind(answer: str) -> AnswerKind:
    try:
        return AnswerKind(answer)
    except ValueError:
        raise InvalidInput("choose yes, no or other terms") from None


async def _counter(request: Request, kind: AnswerKind, terms: Terms) -> Terms | None:
    """The counter's terms: the request's, with the fees from the form (a counter only)."""
    if kind is not AnswerKind.COUNTER:
        return None
    fees = fee_terms_from_form(await request.form())
    if fees is None:
        raise InvalidInput("other terms need at least one fee", hint="fill in an amount")
    return replace(terms, fee_terms=fees)
