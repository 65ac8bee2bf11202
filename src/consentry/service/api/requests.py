"""Licence requests and their answers: developers ask, the works' parties answer.

A developer sends a request for named works (or a rightsholder's catalogue);
each party of each work grants, refuses or counters; the developer accepts or
refuses counters and may withdraw. Rules of who may do what are in
:mod:`consentry.actions.authorise_requests`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request

from consentry.actions import answers as answer_actions
from consentry.actions import authorise_requests as authorise
from consentry.actions import offers as offer_actions
from consentry.actions import outputs
from consentry.actions import requests as actions
from consentry.actions.answers import AnswerResult
from consentry.actions.authorise import developer_party
from consentry.actions.requests import CreatedRequest
from consentry.licensing.types import AnswerKind
from consentry.service.api.bodies_more import (
    AcceptIn,
    AnswerIn,
    AnswerResultOut,
    CounterOut,
    CreatedRequestOut,
    OfferIn,
    RequestIn,
    RequestOut,
    RequestViewOut,
    SkipOut,
    WorkStatusOut,
)
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["requests"])
Me = Annotated[Account, Depends(current_account)]


def _result(result: AnswerResult) -> AnswerResultOut:
    return AnswerResultOut(
        works=[WorkStatusOut.of(s) for s in result.works],
        licences=[lic.id for lic in result.licences],
        counters=[CounterOut.of(c) for c in result.counters],
    )


def _created(created: CreatedRequest, now: datetime) -> CreatedRequestOut:
    return CreatedRequestOut(
        request=RequestOut.of(created.request, now),
        skipped=[
            SkipOut(work_id=s.work_id, party_id=s.party_id, why=s.why, until=s.until)
            for s in created.skipped
        ],
    )


@router.post("/requests", status_code=201, response_model=CreatedRequestOut)
def create(body: RequestIn, account: Me, request: Request) -> CreatedRequestOut:
    """Send a request, as yourself, for named works, a catalogue, or your scan's exclusions.

    ``from_dataset`` names a dataset version of your scan: its remembered output
    folder is used once its manifest's SHA-256 matches the one the log committed.
    """
    ws = workspace(request)
    developer = developer_party(account)
    scanned = None
    if body.from_dataset is not None:
        authorise.may_request_from_dataset(ws, account, body.from_dataset)
        scanned = outputs.output_folder(ws, body.from_dataset, option="from_dataset")
    now = ws.now()
    created = actions.create_request(
        ws,
        developer,
        body.terms.terms(now),
        work_ids=body.works,
        catalogue_of=body.catalogue_of,
        from_scan=scanned,
        answer_by=body.answer_by,
    )
    return _created(created, now)


@router.post("/offers", status_code=201, response_model=CreatedRequestOut)
def offer(body: OfferIn, account: Me, request: Request) -> CreatedRequestOut:
    """Offer your rightsholder organisation's catalogue (or works of it) to a developer."""
    ws = workspace(request)
    holder = authorise.may_offer(ws, account, body.rightsholder)
    now = ws.now()
    created = offer_actions.offer_catalogue(
        ws,
        holder,
        body.developer,
        body.terms.terms(now),
        work_ids=body.works,
        answer_by=body.answer_by,
    )
    return _created(created, now)


@router.get("/requests", response_model=list[RequestOut])
def list_requests(account: Me, request: Request) -> list[RequestOut]:
    """Requests you can see: a developer its own, a party those naming its works."""
    ws = workspace(request)
    mine = account.party_id if account.kind == "developer" else None
    if account.kind == "developer" and mine is None:
        return []
    found = actions.list_requests(ws, developer_ref=mine)
    now = ws.now()
    return [RequestOut.of(r, now) for r in authorise.visible_requests(ws, account, found)]


@router.get("/requests/{request_id}", response_model=RequestViewOut)
def show(request_id: str, account: Me, request: Request) -> RequestViewOut:
    """Each work's and each party's state: who answered, on what authority, and when."""
    ws = workspace(request)
    authorise.may_see_request(ws, account, request_id)
    view = actions.show_request(ws, request_id)
    return RequestViewOut(
        request=RequestOut.of(view.request, ws.now()),
        works=[WorkStatusOut.of(s) for s in view.works],
        counters=[CounterOut.of(c) for c in view.counters],
    )


@router.post("/requests/{request_id}/answers", response_model=AnswerResultOut)
def answer(request_id: str, body: AnswerIn, account: Me, request: Request) -> AnswerResultOut:
    """Grant, refuse or counter for your works of a request (or as a mandated agent)."""
    ws = workspace(request)
    party, agent = authorise.may_answer(ws, account, request_id, body.party, body.mandate_id)
    counter = body.counter_terms.terms(ws.now()) if body.counter_terms is not None else None
    result = answer_actions.answer_request(
        ws,
        request_id,
        party,
        AnswerKind(body.kind),
        work_ids=body.works,
        answered_by=agent,
        mandate_id=body.mandate_id,
        reason=body.reason,
        counter_terms=counter,
    )
    return _result(result)


@router.post("/requests/{request_id}/accept", response_model=AnswerResultOut)
def accept(request_id: str, body: AcceptIn, account: Me, request: Request) -> AnswerResultOut:
    """Accept (or refuse) a counter, or a catalogue offer made to you."""
    ws = workspace(request)
    authorise.may_settle(ws, account, request_id)
    result = answer_actions.accept(ws, request_id, counter_id=body.counter_id, refuse=body.refuse)
    return _result(result)


@router.post("/requests/{request_id}/withdraw", response_model=RequestOut)
def withdraw(request_id: str, account: Me, request: Request) -> RequestOut:
    """Withdraw your request: it takes no more answers (licences in force stay)."""
    ws = workspace(request)
    authorise.may_settle(ws, account, request_id)
    return RequestOut.of(actions.withdraw_request(ws, request_id), ws.now())
