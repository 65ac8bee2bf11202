"""Anyone checks a removal certificate: drop in the certificate and, optionally, one's own file.

The check is the offline one ``consentry verify`` runs
(:func:`consentry.actions.verify_certificate.verify_file`), against this log's
verifier key unless the visitor pastes the key they obtained themselves.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from consentry.actions import log as log_actions
from consentry.actions.accounts import Account
from consentry.actions.verify_certificate import verify_file
from consentry.errors import ConsentryError, InvalidInput
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.guard import PortalRoute, page_account
from consentry.service.portal.render import page

router = APIRouter(route_class=PortalRoute)
MaybeAccount = Annotated[Account | None, Depends(page_account)]
_VKEY = re.compile(r"^[^\s+]{1,200}\+[0-9a-f]{8}\+[A-Za-z0-9+/]{40,80}={0,2}$")
TITLE = "Verify a removal certificate"


@router.get("/verify", name="portal_verify")
def verify_form(request: Request, account: MaybeAccount) -> Response:
    """The form: a certificate, one's own file, and (optionally) the verifier key."""
    key = log_actions.public_key(workspace(request))
    return page(request, "verify.html", account, title=TITLE, log_key=key)


@router.post("/verify", dependencies=[Depends(require_csrf)])
async def verify_submit(
    request: Request,
    account: MaybeAccount,
    certificate: Annotated[UploadFile, File()],
    work: Annotated[UploadFile | None, File()] = None,
    key: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Check the certificate and say, in plain words, what was proven and what was not."""
    ws = workspace(request)
    log_key = log_actions.public_key(ws)
    chosen = key.strip() or log_key
    try:
        if not _VKEY.match(chosen):
            raise InvalidInput(
                "that is not a verifier key", hint="paste the line the log page shows"
            )
        with tempfile.TemporaryDirectory(prefix="consentry-verify-") as folder:
            cert_path = Path(folder) / "certificate.json"
            cert_path.write_bytes(await certificate.read())
            work_path = None
            if work is not None and work.filename:
                work_path = Path(folder) / "work"
                work_path.write_bytes(await work.read())
            report = verify_file(cert_path, key=chosen, work=work_path)
    except ConsentryError as exc:
        return page(
            request,
            "verify.html",
            account,
            title=TITLE,
            status_code=400,
            error=exc.message,
            hint=exc.hint,
            log_key=log_key,
        )
    return page(
        request,
        "verify.html",
        account,
        title=TITLE,
        log_key=log_key,
        report=report,
        own_key=chosen != log_key,
        status_code=200 if report.ok else 422,
    )
