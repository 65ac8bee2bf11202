"""Published model reports and their credits: public pages anyone may read.

A developer publishes a model version's report from its models page; the
report's files are kept under the service's data folder and shown only while
the evidence log's ``report.published`` entry vouches for them
(:mod:`consentry.actions.published`). Each report page lists the model's
datasets, what was used and excluded, the log entry that commits to it, every
file of the report, and the credits of every creator whose work it used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.ledger import model_credits
from consentry.actions.models import list_model_versions
from consentry.actions.published import (
    published_report,
    published_reports,
    report_file,
)
from consentry.errors import Forbidden, NotFound
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.portal.background import submit_publish
from consentry.service.portal.guard import PortalRoute, page_account, signed_in
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
MaybeAccount = Annotated[Account | None, Depends(page_account)]
SignedIn = Annotated[Account, Depends(signed_in)]
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    "": "text/plain; charset=utf-8",
}
SANDBOX = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
"""A served report page may show itself and nothing else: no script, no request elsewhere."""


def _data(request: Request) -> Path | None:
    return service_settings(request).data_dir


@router.get("/reports", name="portal_reports")
def reports(request: Request, account: MaybeAccount) -> Response:
    """Every published model report the log vouches for."""
    found = published_reports(workspace(request), root=_data(request))
    return page(request, "reports.html", account, title="Model reports", reports=found)


@router.get("/reports/{model_version_id}", name="portal_report")
def report(request: Request, model_version_id: str, account: MaybeAccount) -> Response:
    """One published report: what the model was trained on, its log entry, files and credits."""
    ws = workspace(request)
    found = published_report(ws, model_version_id, root=_data(request))
    model = found.report["model"]
    works, opens = model_credits(ws, model["name"], model["version"])
    return page(
        request,
        "report.html",
        account,
        title=f"{model['name']} {model['version']}: how it was trained",
        p=found,
        r=found.report,
        credits=works,
        opens=opens,
    )


@router.get("/reports/{model_version_id}/files/{name:path}", name="portal_report_file")
def report_file_page(request: Request, model_version_id: str, name: str) -> Response:
    """One file of a published report, exactly as ``SHA256SUMS`` lists it."""
    data = report_file(workspace(request), model_version_id, name, root=_data(request))
    suffix = Path(name).suffix if Path(name).suffix in TYPES else ""
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    if suffix == ".html":
        headers["Content-Security-Policy"] = SANDBOX
    return Response(data, media_type=TYPES[suffix], headers=headers)


@router.post(
    "/models/{model_version_id}/publish",
    name="portal_model_publish",
    dependencies=[Depends(require_csrf)],
)
def publish(request: Request, model_version_id: str, account: SignedIn) -> Response:
    """The developer publishes its model version's report (written again if it was before).

    The report is written in the background; the browser goes to the job's progress page.
    """
    ws = workspace(request)
    if account.kind != "developer" or account.party_id is None:
        raise Forbidden("reports are published by the model's developer")
    model = next((m for m, _ in list_model_versions(ws) if m.id == model_version_id), None)
    if model is None:
        raise NotFound(f"no model version {model_version_id!r}")
    if model.developer_id != account.party_id:
        raise Forbidden("that model version is not yours")
    job = submit_publish(request, account, model.id)
    return see_other(request, "portal_job", job_id=job.id)
