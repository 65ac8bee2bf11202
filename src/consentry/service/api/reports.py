"""Published model reports: public, shown only while the evidence log vouches for them.

A developer publishes its model version's report in the background
(``POST /reports/{id}/publish``, a job polled at ``/jobs/{id}``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from consentry.actions.authorise import developer_party
from consentry.actions.models import list_model_versions
from consentry.actions.published import (
    Published,
    publish_report,
    published_report,
    published_reports,
)
from consentry.errors import NotFound
from consentry.service.api.bodies_complaints import PublishedReportOut
from consentry.service.auth import Account, current_account, service_settings, workspace
from consentry.service.jobs import API_PUBLISH, JobRunner, Progress, job_view

router = APIRouter(tags=["reports"])
Me = Annotated[Account, Depends(current_account)]


def _out(found: Published, *, full: bool) -> PublishedReportOut:
    return PublishedReportOut(
        model_version_id=found.model_version_id,
        report_sha256=found.report_sha256,
        log_position=found.log_position,
        files=found.files,
        report=found.report if full else None,
    )


@router.get("/reports", response_model=list[PublishedReportOut])
def list_reports(request: Request) -> list[PublishedReportOut]:
    """Every published report, by model name then version (their content: one at a time)."""
    root = service_settings(request).data_dir
    return [_out(p, full=False) for p in published_reports(workspace(request), root=root)]


@router.get("/reports/{model_version_id}", response_model=PublishedReportOut)
def show_report(model_version_id: str, request: Request) -> PublishedReportOut:
    """One published model report, checked against the log entry that commits to it."""
    root = service_settings(request).data_dir
    return _out(published_report(workspace(request), model_version_id, root=root), full=True)


@router.post("/reports/{model_version_id}/publish", status_code=202)
def publish(model_version_id: str, account: Me, request: Request) -> dict[str, Any]:
    """Write and publish your model version's report in the background; poll ``/jobs/{id}``."""
    ws, root = workspace(request), service_settings(request).data_dir
    developer = developer_party(account)
    model = next((m for m, _ in list_model_versions(ws) if m.id == model_version_id), None)
    if model is None or model.developer_id != developer:
        raise NotFound(f"no model version {model_version_id!r} of yours")

    def work(progress: Progress) -> dict[str, Any]:
        publish_report(ws, model_version_id, root=root)
        return {"model_version_id": model_version_id}

    runner: JobRunner = request.app.state.jobs
    params = {"model_version_id": model_version_id}
    return job_view(runner.submit(API_PUBLISH, developer, account.id, work, params=params))
