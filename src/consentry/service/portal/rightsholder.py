"""Rightsholders' bulk import: a works JSONL or CSV (and the files it names), all or nothing."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile

from consentry.actions.accounts import Account
from consentry.actions.scan_results import safe_file_name
from consentry.actions.works import import_works
from consentry.errors import ConsentryError, Forbidden, ImportRejected, InvalidInput
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
LISTING_SUFFIXES = (".jsonl", ".csv")


def _holder(account: Account) -> str:
    if account.kind not in {"rightsholder", "administrator"} or account.party_id is None:
        raise Forbidden("bulk import is for rightsholders")
    return account.party_id


@router.get("/import", name="portal_import")
def import_form(request: Request, account: SignedIn) -> Response:
    """The bulk import form."""
    _holder(account)
    return page(request, "import.html", account, title="Import a catalogue")


@router.post("/import", dependencies=[Depends(require_csrf)])
async def import_submit(
    request: Request,
    account: SignedIn,
    listing: Annotated[UploadFile, File()],
    files: Annotated[list[UploadFile] | None, File()] = None,
) -> Response:
    """Import every row or none; a rejected file lists each bad line and what is wrong."""
    party_id = _holder(account)
    try:
        name = safe_file_name(listing.filename or "")
        if not name.lower().endswith(LISTING_SUFFIXES):
            raise InvalidInput("the catalogue must be a .jsonl or .csv file")
        with tempfile.TemporaryDirectory(prefix="consentry-import-") as folder:
            base = Path(folder)
            (base / name).write_bytes(await listing.read())
            for upload in files or []:
                if upload.filename:
                    (base / safe_file_name(upload.filename)).write_bytes(await upload.read())
            import_works(workspace(request), base / name, recorded_by=party_id)
    except ImportRejected as exc:
        problems = [str(e) for e in exc.errors]
        return page(
            request,
            "import.html",
            account,
            title="Import a catalogue",
            status_code=400,
            error=f"{len(problems)} problem(s); nothing was imported",
            problems=problems,
        )
    except ConsentryError as exc:
        return page(
            request,
            "import.html",
            account,
            title="Import a catalogue",
            status_code=400,
            error=exc.message,
            hint=exc.hint,
        )
    return see_other(request, "portal_works", "imported")
