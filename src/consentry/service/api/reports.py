"""Published model reports: public, shown only while the evidence log vouches for them."""

from __future__ import annotations

from fastapi import APIRouter, Request

from consentry.actions.published import Published, published_report, published_reports
from consentry.service.api.bodies_complaints import PublishedReportOut
from consentry.service.auth import service_settings, workspace

router = APIRouter(tags=["reports"])


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
