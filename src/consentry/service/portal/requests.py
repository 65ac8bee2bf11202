"""Requests: creators and rightsholders answer them; developers send, follow and settle them.

A creator or rightsholder sees the requests naming its works, with the terms
in plain words, and answers each work: yes, no (with an optional reason) or
other fee terms. A developer sees its requests with each work's and each
party's state, accepts or refuses counters, and withdraws. Every change is an
action of :mod:`consentry.actions.answers` or :mod:`consentry.actions.requests`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.answers import accept, answer_request
from consentry.actions.inbox import names, requests_of, work_terms
from consentry.actions.requests import RequestView, show_request, withdraw_request
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing.types import AnswerKind, RequestStatus, WorkStatus
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.fees_form import FEE_FIELDS, fee_terms_from_form
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other
from consentry.service.portal.words import (
    ANSWER_WORDS,
    AUTHORITY_WORDS,
    PARTY_STATE_WORDS,
    WORK_STATE_WORDS,
    fee_words,
    terms_words,
)

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]


def _side(account: Account) -> str:
    """``developer`` or ``party`` (a creator or rightsholder); anyone else is refused."""
    if account.party_id is None:
        raise Forbidden("requests are for creators, rightsholders and developers")
    if account.kind == "developer":
        return "developer"
    if account.kind in {"creator", "rightsholder"}:
        return "party"
    raise Forbidden("requests are for creators, rightsholders and developers")


def _acting(account: Account, status: WorkStatus) -> str | None:
    """The party of this work the account answers for, if any (its own party first)."""
    ids = [p.party_id for p in status.parties]
    if account.party_id in ids:
        return account.party_id
    return next((p for p in ids if p in account.acts_for), None)


def _visible(account: Account, view: RequestView) -> list[WorkStatus]:
    """The works of the request this account may see; Forbidden when none."""
    if _side(account) == "developer":
        if view.request.developer_id != account.party_id:
            raise Forbidden("this request was sent by another developer")
        return view.works
    mine = [s for s in view.works if _acting(account, s) is not None]
    if not mine:
        raise Forbidden("this request names none of your works")
    return mine


@router.get("/requests", name="portal_requests")
def requests_list(request: Request, account: SignedIn) -> Response:
    """The requests sent (a developer) or naming one's works (a creator or rightsholder)."""
    ws = workspace(request)
    if _side(account) == "developer":
        views = requests_of(ws, developer_id=account.party_id)
    else:
        views = requests_of(ws, party_ids=account.acts_for | {account.party_id or ""})
    rows = []
    for view in views:
        works = _visible(account, view)
        waiting = [
            s
            for s in works
            if view.status is RequestStatus.OPEN
            and any(
                p.party_id == _acting(account, s) and p.state.value == "pending" for p in s.parties
            )
        ]
        rows.append({"view": view, "works": works, "waiting": len(waiting)})
    titles, parties = names(
        ws,
        {s.work_id for view in views for s in _visible(account, view)},
        {v.request.developer_id for v in views},
    )
    return page(
        request,
        "requests.html",
        account,
        title="Requests",
        rows=rows,
        side=_side(account),
        titles=titles,
        parties=parties,
        state_words=WORK_STATE_WORDS,
    )


@router.get("/requests/{request_id}", name="portal_request")
def request_page(request: Request, request_id: str, account: SignedIn) -> Response:
    """One request: the terms in words, each work, every party's answer, and the forms."""
    ws = workspace(request)
    view = show_request(ws, request_id)
    works = _visible(account, view)
    party_ids = {p.party_id for s in works for p in s.parties} | {view.request.developer_id}
    party_ids |= {a.answered_by for a in view.answers}
    titles, parties = names(ws, [s.work_id for s in works], party_ids)
    shown = [_work(account, view, s) for s in works]
    return page(
        request,
        "request.html",
        account,
        title=f"Request {view.request.id}",
        view=view,
        works=shown,
        titles=titles,
        parties=parties,
        side=_side(account),
        is_open=view.status is RequestStatus.OPEN,
        fee_fields=FEE_FIELDS,
        answer_words=ANSWER_WORDS,
        authority_words=AUTHORITY_WORDS,
        party_state_words=PARTY_STATE_WORDS,
        state_words=WORK_STATE_WORDS,
    )


def _work(account: Account, view: RequestView, status: WorkStatus) -> dict[str, Any]:
    """What the page shows of one work: its terms in words, parties, counters, own turn."""
    mine = _acting(account, status)
    own = next((p for p in status.parties if p.party_id == mine), None)
    pending = [
        {"counter": c, "fees": fee_words(c.terms.fee_terms)}
        for c in view.counters
        if c.work_id == status.work_id and c.state.value == "pending"
    ]
    return {
        "status": status,
        "terms": terms_words(work_terms(view, status.work_id)),
        "mine": mine,
        "can_answer": own is not None
        and own.state.value == "pending"
        and view.status is RequestStatus.OPEN
        and status.state.value not in {"in_force", "withheld"},
        "counters": pending,
        "reasons": {
            a.party_id: a.reason
            for a in view.answers
            if a.work_id == status.work_id and a.reason and a.superseded_at is None
        },
    }


@router.post(
    "/requests/{request_id}/answer",
    name="portal_request_answer",
    dependencies=[Depends(require_csrf)],
)
async def answer_submit(
    request: Request,
    request_id: str,
    account: SignedIn,
    work_id: Annotated[str, Form(max_length=80)] = "",
    answer: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Record this party's answer for one work: grant, refuse (with a reason) or counter."""
    ws = workspace(request)
    view = show_request(ws, request_id)
    if _side(account) != "party":
        raise Forbidden("only the work's creators and rightsholders answer a request")
    status = next((s for s in _visible(account, view) if s.work_id == work_id), None)
    party = None if status is None else _acting(account, status)
    if party is None:
        raise Forbidden("only the work's own creators and rightsholders can answer for it")
    try:
        kind = AnswerKind(answer)
    except ValueError:
        raise InvalidInput("choose yes, no or other terms") from None
    counter = None
    if kind is AnswerKind.COUNTER:
        fees = fee_terms_from_form(await request.form())
        if fees is None:
            raise InvalidInput("other terms need at least one fee", hint="fill in an amount")
        counter = replace(work_terms(view, work_id), fee_terms=fees)
    answer_request(
        ws,
        request_id,
        party,
        kind,
        work_ids=[work_id],
        reason=reason.strip() or None if kind is AnswerKind.REFUSE else None,
        counter_terms=counter,
    )
    return see_other(request, "portal_request", "answered", request_id=request_id)


def _developer_view(account: Account, request: Request, request_id: str) -> RequestView:
    view = show_request(workspace(request), request_id)
    if _side(account) != "developer" or view.request.developer_id != account.party_id:
        raise Forbidden("only the developer that sent this request can do that")
    return view


@router.post(
    "/requests/{request_id}/counter",
    name="portal_request_counter",
    dependencies=[Depends(require_csrf)],
)
def counter_submit(
    request: Request,
    request_id: str,
    account: SignedIn,
    counter_id: Annotated[str, Form(max_length=80)] = "",
    decision: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """The developer accepts or refuses a counter."""
    _developer_view(account, request, request_id)
    if decision not in {"accept", "refuse"}:
        raise InvalidInput("choose accept or refuse")
    accept(workspace(request), request_id, counter_id=counter_id, refuse=decision == "refuse")
    return see_other(request, "portal_request", "counter-" + decision, request_id=request_id)


@router.post(
    "/requests/{request_id}/withdraw",
    name="portal_request_withdraw",
    dependencies=[Depends(require_csrf)],
)
def withdraw_submit(request: Request, request_id: str, account: SignedIn) -> Response:
    """The developer withdraws the request: no more answers; licences in force stay."""
    _developer_view(account, request, request_id)
    withdraw_request(workspace(request), request_id)
    return see_other(request, "portal_request", "request-withdrawn", request_id=request_id)
