"""Parties: creators, rightsholders and developers of the registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from consentry.actions import parties as actions
from consentry.actions.authorise import require_admin
from consentry.domain import PartyKind
from consentry.service.api.bodies import PartyIn, PartyOut
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["parties"])
Me = Annotated[Account, Depends(current_account)]


@router.get("/parties", response_model=list[PartyOut])
def list_parties(
    account: Me, request: Request, kind: Annotated[PartyKind | None, Query()] = None
) -> list[PartyOut]:
    """Every party, optionally of one kind."""
    return [PartyOut.of(p) for p in actions.list_parties(workspace(request), kind)]


@router.get("/parties/{ref}", response_model=PartyOut)
def get_party(ref: str, account: Me, request: Request) -> PartyOut:
    """One party by id, ISNI, IPI or unique name."""
    return PartyOut.of(actions.get_party(workspace(request), ref))


@router.post("/parties", status_code=201, response_model=PartyOut)
def add_party(body: PartyIn, account: Me, request: Request) -> PartyOut:
    """Register a party (administrators; accounts get their own party at sign-up)."""
    require_admin(account)
    party = actions.add_party(
        workspace(request), body.name, body.kind, isni=body.isni, ipi=body.ipi, orcid=body.orcid
    )
    return PartyOut.of(party)
