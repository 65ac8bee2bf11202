"""Works: register by upload, by fingerprints or ISCC only, or in bulk; read; claim."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from pydantic import ValidationError

from consentry.actions import claims, registration
from consentry.actions import works as actions
from consentry.actions.works import ImportReport
from consentry.domain import WorkKind
from consentry.errors import InvalidInput
from consentry.service.api.bodies import (
    ClaimIn,
    ClaimOut,
    ImportOut,
    WorkMetaIn,
    WorkOut,
    WorkPrintsIn,
)
from consentry.service.auth import Account, current_account, service_settings, workspace
from consentry.service.uploads import save_upload, upload_folder

router = APIRouter(tags=["works"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/works", status_code=201, response_model=WorkOut)
def register_upload(
    account: Me,
    request: Request,
    file: Annotated[UploadFile, File(description="the work itself")],
    meta: Annotated[str, Form(description="a WorkMetaIn object as JSON text", max_length=200_000)],
) -> WorkOut:
    """Register one work by uploading its file, with its metadata as JSON in ``meta``."""
    try:
        parsed = WorkMetaIn.model_validate_json(meta)
    except ValidationError as exc:
        raise InvalidInput(f"meta does not fit WorkMetaIn: {exc.errors()[0]['msg']}") from None
    limit = service_settings(request).max_upload_bytes
    with upload_folder() as folder:
        path = save_upload(file, folder, limit)
        work = registration.register_upload(
            workspace(request), account, path, parsed.model_dump(exclude_none=True, mode="json")
        )
    return WorkOut.of(work)


@router.post("/works/by-fingerprints", status_code=201, response_model=ImportOut)
def register_prints(body: list[WorkPrintsIn], account: Me, request: Request) -> ImportOut:
    """Register works by their fingerprints or ISCC only: nothing is uploaded."""
    if not body:
        raise InvalidInput("give at least one work")
    rows = [w.model_dump(exclude_none=True, mode="json") for w in body]
    return _import_out(registration.register_rows(workspace(request), account, rows))


@router.post("/works/import", status_code=201, response_model=ImportOut)
def import_catalogue(
    account: Me,
    request: Request,
    file: Annotated[UploadFile, File(description="a works-import file, .jsonl or .csv")],
) -> ImportOut:
    """Bulk import a catalogue (all or nothing; every bad row is named with its line)."""
    limit = service_settings(request).max_upload_bytes
    with upload_folder() as folder:
        path = save_upload(file, folder, limit)
        report = registration.import_upload(workspace(request), account, path)
    return _import_out(report)


def _import_out(report: ImportReport) -> ImportOut:
    return ImportOut(
        works=[w.id for w in report.works],
        parties_created=report.parties_created,
        consents_recorded=report.consents_recorded,
        warnings=[str(w) for w in report.warnings],
    )


@router.get("/works", response_model=list[WorkOut])
def list_works(
    account: Me,
    request: Request,
    kind: Annotated[WorkKind | None, Query()] = None,
    party: Annotated[str | None, Query(max_length=64)] = None,
    title_contains: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[WorkOut]:
    """Registered works, filtered by kind, party or title."""
    found = actions.list_works(
        workspace(request), kind=kind, party_id=party, title_contains=title_contains, limit=limit
    )
    return [WorkOut.of(w) for w in found]


@router.get("/works/{work_id}", response_model=WorkOut)
def get_work(work_id: str, account: Me, request: Request) -> WorkOut:
    """One registered work."""
    return WorkOut.of(actions.get_work(workspace(request), work_id))


@router.post("/works/{work_id}/claims", status_code=201, response_model=ClaimOut)
def claim(work_id: str, body: ClaimIn, account: Me, request: Request) -> ClaimOut:
    """Claim to be one of the work's creators; the registering party confirms it."""
    found = claims.claim_work(workspace(request), account, work_id, body.party_id)
    return ClaimOut.model_validate(found, from_attributes=True)


@router.get("/claims", response_model=list[ClaimOut])
def my_claims(account: Me, request: Request) -> list[ClaimOut]:
    """The claims you made."""
    found = claims.my_claims(workspace(request), account)
    return [ClaimOut.model_validate(c, from_attributes=True) for c in found]


@router.get("/claims/to-decide", response_model=list[ClaimOut])
def to_decide(account: Me, request: Request) -> list[ClaimOut]:
    """Pending claims on works you registered."""
    found = claims.claims_to_decide(workspace(request), account)
    return [ClaimOut.model_validate(c, from_attributes=True) for c in found]


@router.post("/claims/{claim_id}/confirm", response_model=ClaimOut)
def confirm(claim_id: str, account: Me, request: Request) -> ClaimOut:
    """Confirm a claim: the claimant then acts for that creator."""
    found = claims.decide_claim(workspace(request), account, claim_id, confirm=True)
    return ClaimOut.model_validate(found, from_attributes=True)


@router.post("/claims/{claim_id}/refuse", response_model=ClaimOut)
def refuse(claim_id: str, account: Me, request: Request) -> ClaimOut:
    """Refuse a claim."""
    found = claims.decide_claim(workspace(request), account, claim_id, confirm=False)
    return ClaimOut.model_validate(found, from_attributes=True)
