"""Developers' pages: scan uploaded files, read a scan's results, record models and training."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from consentry.actions.accounts import Account
from consentry.actions.ledger import TrainingSource
from consentry.actions.models import add_model_version, list_model_versions, record_training
from consentry.actions.requests import manifest_works
from consentry.actions.scan_results import (
    developer_scans,
    scan_outputs,
    scan_result,
    scans_dir,
)
from consentry.domain import Use
from consentry.errors import ConsentryError, Forbidden, InvalidInput
from consentry.provenance import TrainedOn
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.portal.background import submit_scan
from consentry.service.portal.fees_form import FEE_FIELDS
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.plots import bar_chart, decision_bars
from consentry.service.portal.render import page, see_other
from consentry.service.portal.usage_plot import dashboard_usage
from consentry.service.portal.words import USE_WORDS, reason_words

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
MAX_FILES = 500


def _data(request: Request) -> Path | None:
    """The service's data folder (None: its default), where kept scans live."""
    return service_settings(request).data_dir


def _developer(account: Account) -> str:
    if account.kind != "developer" or account.party_id is None:
        raise Forbidden("scans and models are for developers")
    return account.party_id


@router.get("/scans", name="portal_scans")
def scans(request: Request, account: SignedIn) -> Response:
    """The developer's scans, newest first, and the form to scan files."""
    versions = developer_scans(workspace(request), _developer(account))
    return page(
        request,
        "scans.html",
        account,
        title="Scans",
        versions=versions,
        uses=tuple(Use),
        use_words=USE_WORDS,
    )


@router.post("/scans", dependencies=[Depends(require_csrf)])
async def scan_submit(
    request: Request,
    account: SignedIn,
    files: Annotated[list[UploadFile], File()],
    use: Annotated[str, Form()] = Use.AI_TRAINING.value,
) -> Response:
    """Scan the uploaded files as one corpus in the background; show its progress page."""
    developer = _developer(account)
    ws = workspace(request)
    chosen = [f for f in files if f.filename]
    try:
        if len(chosen) > MAX_FILES:
            raise InvalidInput(f"at most {MAX_FILES} files in one scan")
        uploads = [(f.filename or "", await f.read()) for f in chosen]
        job = submit_scan(request, account, developer, uploads, use)
    except ConsentryError as exc:
        return page(
            request,
            "scans.html",
            account,
            title="Scans",
            status_code=400,
            error=exc.message,
            hint=exc.hint,
            versions=developer_scans(ws, developer),
            uses=tuple(Use),
            use_words=USE_WORDS,
        )
    return see_other(request, "portal_job", job_id=job.id)


@router.get("/scans/{dataset_id}", name="portal_scan")
def scan_page(request: Request, dataset_id: str, account: SignedIn) -> Response:
    """One scan: included and excluded by reason (a plot and a table), then every item."""
    developer = _developer(account)
    result = scan_result(workspace(request), dataset_id, root=_data(request))
    if result.version.developer_id != developer:
        raise Forbidden("this scan belongs to another developer")
    bars = decision_bars(result.counts)
    chart = bar_chart(f"Items of scan {dataset_id} by decision and reason", bars)
    askable = manifest_works(scans_dir(workspace(request), _data(request)) / result.version.id)
    return page(
        request,
        "scan.html",
        account,
        title=f"Scan {dataset_id}",
        result=result,
        chart=chart,
        bars=bars,
        reason_words=reason_words,
        askable=askable,
        uses=tuple(Use),
        use_words=USE_WORDS,
        fee_fields=FEE_FIELDS,
    )


@router.get("/models", name="portal_models")
def models(request: Request, account: SignedIn) -> Response:
    """The developer's model versions, what each was trained on, and the forms to add them."""
    developer = _developer(account)
    ws = workspace(request)
    mine = [(m, t) for m, t in list_model_versions(ws) if m.developer_id == developer]
    return page(
        request,
        "models.html",
        account,
        title="Models",
        models=mine,
        datasets=developer_scans(ws, developer),
        used=tuple(TrainedOn),
        usage_charts=dashboard_usage(ws, account),
    )


@router.post("/models", dependencies=[Depends(require_csrf)])
def model_submit(
    request: Request,
    account: SignedIn,
    name: Annotated[str, Form(max_length=200)],
    version: Annotated[str, Form(max_length=100)],
) -> Response:
    """Record a model version."""
    add_model_version(workspace(request), name, version, developer_ref=_developer(account))
    return see_other(request, "portal_models")


@router.post("/models/training", name="portal_training", dependencies=[Depends(require_csrf)])
def training_submit(
    request: Request,
    account: SignedIn,
    model: Annotated[str, Form(max_length=400)],
    dataset_id: Annotated[str, Form(max_length=80)],
    used: Annotated[str, Form()] = TrainedOn.CLEARED.value,
) -> Response:
    """Record that one of the developer's model versions was trained on one of its scans.

    When the scan's outputs are kept, its use of every work is measured and
    recorded in the usage ledger too (what statements and credits are made of).
    """
    developer = _developer(account)
    ws = workspace(request)
    owned = {m.id: m for m, _ in list_model_versions(ws) if m.developer_id == developer}
    chosen = owned.get(model)
    if chosen is None:
        raise Forbidden("that model version is not yours")
    if dataset_id not in {v.id for v in developer_scans(ws, developer)}:
        raise Forbidden("that dataset version is not yours")
    try:
        trained_on = TrainedOn(used)
    except ValueError:
        raise InvalidInput("choose cleared or all") from None
    outputs = scan_outputs(ws, dataset_id, root=_data(request))
    source = TrainingSource(outputs) if outputs is not None and outputs.is_dir() else None
    record_training(ws, chosen.name, chosen.version, dataset_id, used=trained_on, source=source)
    return see_other(request, "portal_models")
