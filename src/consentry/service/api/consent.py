"""Consent: a work's parties say, per use, granted, withheld or ask; anyone concerned reads it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from consentry.actions import consent as actions
from consentry.actions.authorise import may_see_work_consent, may_set_consent
from consentry.domain import Use
from consentry.service.api.bodies import ConsentIn, ConsentVersionOut, DecisionOut, StandingOut
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["consent"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/works/{work_id}/consent", response_model=ConsentVersionOut)
def set_consent(work_id: str, body: ConsentIn, account: Me, request: Request) -> ConsentVersionOut:
    """Record a party's answer for a use (only that party, or its mandated agent)."""
    ws = workspace(request)
    may_set_consent(ws, account, work_id, body.party, body.mandate_id)
    version = actions.set_consent(
        ws,
        work_id,
        body.party,
        body.use,
        body.state,
        recorded_by=account.party_id,
        mandate_id=body.mandate_id,
        evidence=body.evidence,
        expires_at=body.expires_at,
        expected_version=body.expected_version,
    )
    return ConsentVersionOut(work_id=work_id, version=version)


@router.get("/works/{work_id}/consent", response_model=DecisionOut)
def consent_report(
    work_id: str,
    account: Me,
    request: Request,
    developer: Annotated[str | None, Query(max_length=200)] = None,
    use: Annotated[Use, Query()] = Use.AI_TRAINING,
    model: Annotated[str | None, Query(max_length=200)] = None,
    territory: Annotated[str | None, Query(max_length=16)] = None,
) -> DecisionOut:
    """Each party's standing and the decision for one developer and use."""
    ws = workspace(request)
    may_see_work_consent(ws, account, work_id)
    if account.kind == "developer":
        developer = account.party_id
    report = actions.consent_report(
        ws, work_id, developer_ref=developer, use=use, model=model, territory=territory
    )
    d = report.decision
    return DecisionOut(
        work_id=d.work_id,
        include=d.include,
        reason=d.code,
        explanation=d.explain(),
        licence_id=d.licence_id,
        missing=list(d.missing),
        parties=[
            StandingOut(
                party_id=s.party_id,
                group=str(s.group),
                state=s.state,
                decided_by=s.decided_by,
                mandate_id=s.mandate_id,
            )
            for s in d.parties
        ],
    )
