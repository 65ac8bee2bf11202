"""Requests: creators and rightsholders answer them; developers send, follow and settle them.

A creator or rightsholder sees the requests naming its works, with the terms
in plain words, and answers each work: yes, no (with an optional reason) or
other fee terms. A rightsholder holding a creator's mandate also sees the
requests for that creator's works and answers them on the creator's behalf
(:mod:`consentry.actions.agent_requests`; the forms are in
:mod:`consentry.service.portal.requests_answer`). A developer sees its
requests with each work's and each party's state, accepts or refuses
counters, and withdraws. Every change is an action of
:mod:`consentry.actions.answers` or :mod:`consentry.actions.requests`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.agent_requests import AgentTurn, agent_turns, requests_for_agent
from consentry.actions.answers import accept
from consentry.actions.inbox import names, requests_of, work_terms
from consentry.actions.requests import RequestView, show_request, withdraw_request
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing.types import RequestStatus, WorkStatus
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal import requests_answer
from consentry.service.portal.fees_form import FEE_FIELDS
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other
from consentry.service.portal.requests_answer import acting, side
from consentry.service.portal.words import (
    ANSWER_WORDS,
    AUTHORITY_WORDS,
    PARTY_STATE_WORDS,
    WORK_STATE_WORDS,
    fee_words,
    terms_words,
)

router = APIRouter(route_class=PortalRoute)
router.include_router(requests_answer.router)
SignedIn = Annotated[Account, Depends(signed_in)]


def _turns(request: Request, account: Account, view: RequestView) -> list[AgentTurn]:
    """What a rightsholder may answer on its mandates in ``view`` (nothing for anyone else)."""
    if account.kind != "rightsholder" or account.party_id is None:
        return []
    return agent_turns(workspace(request), account.party_id, view)


def _visible(
    account: Account, view: RequestView, turns: list[AgentTurn] | None = None
) -> list[WorkStatus]:
    """The works of the request this account may see (its own, its mandators'); else Forbidden."""
    if side(account) == "developer":
        if view.request.developer_id != account.party_id:
            raise Forbidden("this request was sent by another developer")
        return view.works
    mandated = {t.work_id for t in turns or []}
    mine = [s for s in view.works if acting(account, s) is not None or s.work_id in mandated]
    if not mine:
        raise Forbidden("this request names none of your works, nor any of your mandators'")
    return mine


def _views(request: Request, account: Account) -> list[RequestView]:
    """The requests the account sees in its list, newest first."""
    ws = workspace(request)
    if side(account) == "developer":
        return requests_of(ws, developer_id=account.party_id)
    views = {v.request.id: v for v in requests_of(ws, party_ids=_mine(account))}
    if account.kind == "rightsholder" and account.party_id is not None:
        for view in requests_for_agent(ws, account.party_id):
            views.setdefault(view.request.id, view)
    return sorted(views.values(), key=lambda v: (v.request.created_at, v.request.id))[::-1]


def _mine(account: Account) -> set[str]:
    return set(account.acts_for) | ({account.party_id} if account.party_id else set())


@router.get("/requests", name="portal_requests")
def requests_list(request: Request, account: SignedIn) -> Response:
    """The requests sent (a developer) or naming one's works (a creator or rightsholder)."""
    ws = workspace(request)
    views = _views(request, account)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for view in views:
        turns = _turns(request, account, view)
        try:
            works = _visible(account, view, turns)
        except Forbidden:
            continue  # e.g. a mandate ended between the two reads: not this account's now
        seen |= {s.work_id for s in works}
        waiting = [
            s
            for s in works
            if view.status is RequestStatus.OPEN
            and any(
                p.party_id == acting(account, s) and p.state.value == "pending" for p in s.parties
            )
        ]
        rows.append(
            {
                "view": view,
                "works": works,
                "waiting": len(waiting),
                "on_mandate": len({(t.work_id, t.creator_id) for t in turns if t.open}),
            }
        )
    titles, parties = names(
        ws,
        seen,
        {v.request.developer_id for v in views},
    )
    return page(
        request,
        "requests.html",
        account,
        title="Requests",
        rows=rows,
        side=side(account),
        titles=titles,
        parties=parties,
        state_words=WORK_STATE_WORDS,
    )


@router.get("/requests/{request_id}", name="portal_request")
def request_page(request: Request, request_id: str, account: SignedIn) -> Response:
    """One request: the terms in words, each work, every party's answer, and the forms."""
    ws = workspace(request)
    view = show_request(ws, request_id)
    turns = _turns(request, account, view)
    works = _visible(account, view, turns)
    party_ids = {p.party_id for s in works for p in s.parties} | {view.request.developer_id}
    party_ids |= {a.answered_by for a in view.answers}
    titles, parties = names(ws, [s.work_id for s in works], party_ids)
    shown = [_work(account, view, s, turns) for s in works]
    return page(
        request,
        "request.html",
        account,
        title=f"Request {view.request.id}",
        view=view,
        works=shown,
        titles=titles,
        parties=parties,
        side=side(account),
        is_open=view.status is RequestStatus.OPEN,
        fee_fields=FEE_FIELDS,
        answer_words=ANSWER_WORDS,
        authority_words=AUTHORITY_WORDS,
        party_state_words=PARTY_STATE_WORDS,
        state_words=WORK_STATE_WORDS,
    )


def _work(
    account: Account, view: RequestView, status: WorkStatus, turns: list[AgentTurn]
) -> dict[str, Any]:
    """What the page shows of one work: its terms in words, parties, counters, own turn,
    and the creators the account may answer for on a mandate (``agent``)."""
    mine = acting(account, status)
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
        "agent": [t for t in turns if t.work_id == status.work_id],
    }


def _developer_view(account: Account, request: Request, request_id: str) -> RequestView:
    view = show_request(workspace(request), request_id)
    if side(account) != "developer" or view.request.developer_id != account.party_id:
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
