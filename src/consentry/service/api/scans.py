"""Scans: a developer submits a corpus; the scan runs in the background; progress and results.

Scan jobs are kept in the registry (:mod:`consentry.actions.jobs`): any server
process shows them, and a scan its process did not finish is ``interrupted``
and can be resumed (``POST /scans/{id}/resume``) while its input is kept.
Only the account that submitted a scan (or an administrator) sees it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from consentry.actions import scan as actions
from consentry.actions.authorise import developer_party
from consentry.actions.jobs import Job, job_for, list_jobs
from consentry.actions.workspace import Workspace
from consentry.domain import Use
from consentry.errors import Forbidden, NotFound
from consentry.policy import Regime
from consentry.service.auth import Account, current_account, service_settings, workspace
from consentry.service.jobs import API_SCAN, JobRunner, Progress, Work, job_view
from consentry.service.uploads import save_upload

router = APIRouter(tags=["scans"])
Me = Annotated[Account, Depends(current_account)]


def _jobs(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _view(job: Job) -> dict[str, Any]:
    return job_view(job)


def _own(request: Request, account: Account, job_id: str) -> Job:
    """The scan job, when the caller submitted it (or is an administrator); else 404."""
    try:
        return job_for(workspace(request), account, job_id, (API_SCAN,))
    except (NotFound, Forbidden):
        raise NotFound(f"no scan {job_id!r} of yours") from None


def _work(ws: Workspace, developer: str, params: dict[str, Any], out_dir: Path) -> Work:
    """The scan a job runs, from the parameters it was submitted with (also to resume it)."""

    def work(progress: Progress) -> dict[str, Any]:
        summary = actions.scan(
            ws,
            Path(params["input"]),
            out_dir,
            developer_ref=developer,
            use=Use(params["use"]),
            regime=Regime(params["regime"]),
            model=params.get("model"),
            territory=params.get("territory"),
            text_field=params.get("text_field"),
            id_field=params.get("id_field"),
            on_done=progress,
        )
        return summary.as_json()

    return work


@router.post("/scans", status_code=202)
def submit(
    account: Me,
    request: Request,
    corpus: Annotated[UploadFile, File(description="a corpus file: .jsonl, .parquet, .tar, .warc")],
    use: Annotated[Use, Form()] = Use.AI_TRAINING,
    regime: Annotated[Regime, Form()] = Regime.CONSENT,
    model: Annotated[str | None, Form(max_length=200)] = None,
    territory: Annotated[str | None, Form(max_length=16)] = None,
    text_field: Annotated[str | None, Form(max_length=100)] = None,
    id_field: Annotated[str | None, Form(max_length=100)] = None,
) -> dict[str, Any]:
    """Submit a scan of an uploaded corpus as your developer party; poll ``/scans/{id}``."""
    developer = developer_party(account)
    runner = _jobs(request)
    job_id = runner.new_id()
    try:
        path = save_upload(
            corpus, runner.folder(job_id) / "in", service_settings(request).max_upload_bytes
        )
    except BaseException:
        shutil.rmtree(runner.folder(job_id), ignore_errors=True)
        raise
    params = {
        "input": str(path),
        "use": use.value,
        "regime": regime.value,
        "model": model,
        "territory": territory,
        "text_field": text_field,
        "id_field": id_field,
    }
    out_dir = runner.folder(job_id) / "out"
    work = _work(workspace(request), developer, params, out_dir)
    job = runner.submit(
        API_SCAN, developer, account.id, work, job_id=job_id, params=params, out_dir=out_dir
    )
    return _view(job)


@router.get("/scans")
def list_scans(account: Me, request: Request) -> list[dict[str, Any]]:
    """Your scan jobs (administrators: everyone's), newest first."""
    return [_view(j) for j in list_jobs(workspace(request), account, (API_SCAN,))]


@router.get("/scans/{job_id}")
def get_scan(job_id: str, account: Me, request: Request) -> dict[str, Any]:
    """A scan's status, progress and, once done, its summary (interrupted: how to go on)."""
    return _view(_own(request, account, job_id))


@router.post("/scans/{job_id}/resume", status_code=202)
def resume_scan(job_id: str, account: Me, request: Request) -> dict[str, Any]:
    """Resume an interrupted scan where it stopped (its finished shards are not read again)."""
    job = _own(request, account, job_id)
    if job.owner_account != account.id or job.owner_party is None:
        raise NotFound(f"no scan {job_id!r} of yours")  # administrators see, they do not resume
    work = _work(workspace(request), job.owner_party, job.params, job.out_dir)
    return _view(_jobs(request).resume(job.id, work))


@router.get("/scans/{job_id}/manifest")
def manifest(
    job_id: str,
    account: Me,
    request: Request,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> dict[str, Any]:
    """A page of the scan's manifest: one row per input item, with decision and reasons."""
    job = _own(request, account, job_id)
    path = job.out_dir / "manifest.jsonl"
    if job.status != "done" or not path.is_file():
        raise NotFound(f"scan {job_id} has no manifest yet (it is {job.status})")
    rows: list[Any] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle):
            if number >= offset + limit:
                break
            if number >= offset:
                rows.append(json.loads(line))
    return {"offset": offset, "rows": rows}
