"""Scans: a developer submits a corpus; the scan runs in the background; progress and results."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile

from consentry.actions import scan as actions
from consentry.actions.authorise import developer_party
from consentry.corpus.item import Shard
from consentry.domain import Use
from consentry.errors import NotFound
from consentry.policy import Regime
from consentry.service.auth import Account, current_account, service_settings, workspace
from consentry.service.jobs import Job, JobRunner
from consentry.service.uploads import save_upload

router = APIRouter(tags=["scans"])
Me = Annotated[Account, Depends(current_account)]


def _jobs(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _view(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status,
        "shards_done": job.shards_done,
        "items_done": job.items_done,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "error": job.error,
        "summary": job.result,
    }


def _own(request: Request, account: Account, job_id: str) -> Job:
    job = _jobs(request).get(job_id)
    if job.kind != "scan" or not (account.is_admin or job.owner_party == account.party_id):
        raise NotFound(f"no scan {job_id!r} of yours")
    return job


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
    job = runner.new_job("scan", developer, account.id)
    path = save_upload(
        corpus, runner.folder(job.id) / "in", service_settings(request).max_upload_bytes
    )
    ws = workspace(request)

    def progress(shard: Shard, items: int) -> None:
        job.shards_done += 1
        job.items_done += items

    def work(job: Job) -> dict[str, Any]:
        summary = actions.scan(
            ws,
            path,
            job.out_dir,
            developer_ref=developer,
            use=use,
            regime=regime,
            model=model,
            territory=territory,
            text_field=text_field,
            id_field=id_field,
            on_done=progress,
        )
        return summary.as_json()

    runner.start(job, work)
    return _view(job)


@router.get("/scans")
def list_scans(account: Me, request: Request) -> list[dict[str, Any]]:
    """Your scan jobs known to this server, newest first."""
    return [
        _view(j)
        for j in _jobs(request).list()
        if j.kind == "scan" and (account.is_admin or j.owner_party == account.party_id)
    ]


@router.get("/scans/{job_id}")
def get_scan(job_id: str, account: Me, request: Request) -> dict[str, Any]:
    """A scan's status, progress and, once done, its summary."""
    return _view(_own(request, account, job_id))


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
