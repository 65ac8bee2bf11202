"""Licences and mandates: the parties of works license them; creators give mandates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from consentry.actions import authorise
from consentry.actions import licences as actions
from consentry.actions import mandates as mandate_actions
from consentry.domain import Mandate
from consentry.fees import fee_terms_from_dict
from consentry.service.api.bodies import LicenceIn, LicenceOut, MandateIn, MandateOut
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["licences"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/licences", status_code=201, response_model=LicenceOut)
def grant(body: LicenceIn, account: Me, request: Request) -> LicenceOut:
    """Grant a licence on your works to a developer (you are among ``granted_by``)."""
    ws = workspace(request)
    authorise.may_grant_licence(ws, account, body.works, body.granted_by)
    licence = actions.grant_licence(
        ws,
        body.developer,
        body.works,
        body.uses,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        models=body.models,
        territories=body.territories,
        fee_terms=fee_terms_from_dict(body.fee_terms) if body.fee_terms is not None else None,
        granted_by=body.granted_by,
    )
    return LicenceOut.of(licence)


@router.get("/licences", response_model=list[LicenceOut])
def list_licences(
    account: Me,
    request: Request,
    work: Annotated[str | None, Query(max_length=64)] = None,
) -> list[LicenceOut]:
    """Licences you can see: a developer its own, a party those on its works."""
    ws = workspace(request)
    found = actions.list_licences(ws, work_id=work)
    return [LicenceOut.of(lic) for lic in authorise.visible_licences(ws, account, found)]


@router.post("/licences/{licence_id}/revoke", response_model=LicenceOut)
def revoke(licence_id: str, account: Me, request: Request) -> LicenceOut:
    """Revoke a licence from now on (a party to it only)."""
    ws = workspace(request)
    authorise.may_revoke_licence(ws, account, licence_id)
    return LicenceOut.of(actions.revoke_licence(ws, licence_id))


def _mandate(m: Mandate) -> MandateOut:
    return MandateOut(
        id=m.id,
        agent_id=m.agent_id,
        creators=sorted(m.creator_ids),
        uses=sorted(m.uses),
        granted_at=m.granted_at,
        revoked_at=m.revoked_at,
    )


@router.post("/mandates", status_code=201, response_model=MandateOut, tags=["mandates"])
def give_mandate(body: MandateIn, account: Me, request: Request) -> MandateOut:
    """A creator lets a rightsholder or society answer for them on some uses."""
    ws = workspace(request)
    authorise.may_give_mandate(account, body.creators, ws)
    return _mandate(mandate_actions.give_mandate(ws, body.agent, body.creators, body.uses))


@router.post("/mandates/{mandate_id}/revoke", response_model=MandateOut, tags=["mandates"])
def revoke_mandate(mandate_id: str, account: Me, request: Request) -> MandateOut:
    """End a mandate now (its creator or its agent)."""
    ws = workspace(request)
    authorise.may_revoke_mandate(ws, account, mandate_id)
    return _mandate(mandate_actions.revoke_mandate(ws, mandate_id))
