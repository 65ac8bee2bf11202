"""The portal's long jobs (scans, report publishing) run in the background.

Submitting a scan or publishing a report hands the work to the service's
:class:`~consentry.service.jobs.JobRunner` (the same one the API's scans use)
and sends the browser to the job's progress page, which reloads itself every
two seconds while the job runs, links to the result when it is done and shows
the error when it failed. Only the account that submitted a job sees it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.published import publish_report
from consentry.actions.scan import scan
from consentry.actions.scan_results import keep_scan_output, safe_file_name, scans_dir
from consentry.corpus import open_corpus
from consentry.corpus.item import Shard
from consentry.domain import Use
from consentry.errors import Forbidden, InvalidInput
from consentry.service.auth import service_settings, workspace
from consentry.service.jobs import Job, JobRunner
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
SCAN, PUBLISH = "portal-scan", "portal-publish"


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _corpus(request: Request, files: Sequence[tuple[str, bytes]]) -> Path:
    """Check the uploads and write them to a fresh folder under the kept scans; that folder."""
    if not files:
        raise InvalidInput("choose at least one file to scan")
    names = [safe_file_name(n) for n, _ in files]
    if len(set(names)) != len(names):
        raise InvalidInput("two uploaded files have the same name")
    kept = scans_dir(workspace(request), service_settings(request).data_dir)
    kept.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=kept, prefix="upload-"))
    (folder / "corpus").mkdir()
    for name, (_, data) in zip(names, files, strict=True):
        (folder / "corpus" / name).write_bytes(data)
    return folder


def submit_scan(
    request: Request,
    account: Account,
    developer: str,
    files: Sequence[tuple[str, bytes]],
    use: str,
) -> Job:
    """Check and store the uploaded files now; scan them in the background; the job.

    Bad input (no files, two with one name, an unknown use) is refused here,
    before any job exists. The corpus and the outputs stay under the kept
    scans (a removal re-reads both); a scan that fails leaves nothing behind.
    """
    try:
        chosen = Use(use)
    except ValueError:
        raise InvalidInput(f"unknown use {use!r}") from None
    ws, root = workspace(request), service_settings(request).data_dir
    folder = _corpus(request, files)
    runner = _runner(request)
    job = runner.new_job(SCAN, developer, account.id)
    job.shards_total = len(open_corpus(folder / "corpus").shards())

    def progress(shard: Shard, items: int) -> None:
        job.shards_done += 1
        job.items_done += items

    def work(job: Job) -> dict[str, Any]:
        try:
            summary = scan(
                ws,
                folder / "corpus",
                folder / "out",
                developer_ref=developer,
                use=chosen,
                on_done=progress,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        assert summary.dataset_version is not None
        keep_scan_output(ws, summary.dataset_version, folder / "out", root=root)
        return {"dataset_id": summary.dataset_version, **summary.as_json()}

    runner.start(job, work)
    return job


def submit_publish(request: Request, account: Account, model_version_id: str) -> Job:
    """Write and publish a model version's report in the background; the job."""
    ws, root = workspace(request), service_settings(request).data_dir
    runner = _runner(request)
    job = runner.new_job(PUBLISH, account.party_id, account.id)

    def work(job: Job) -> dict[str, Any]:
        publish_report(ws, model_version_id, root=root)
        return {"model_version_id": model_version_id}

    runner.start(job, work)
    return job


def _result_link(request: Request, job: Job) -> tuple[str, str] | None:
    """Where a finished job's result is, and the link's words."""
    if job.status != "done" or job.result is None:
        return None
    if job.kind == SCAN:
        url = request.url_for("portal_scan", dataset_id=job.result["dataset_id"]).path
        return f"{url}?note=scanned", "See the scan's results"
    url = request.url_for("portal_report", model_version_id=job.result["model_version_id"]).path
    return f"{url}?note=report-published", "See the published report"


@router.get("/jobs/{job_id}", name="portal_job")
def job_page(request: Request, job_id: str, account: SignedIn) -> Response:
    """A job's progress; it reloads itself while the job runs (no script needed)."""
    job = _runner(request).get(job_id)
    if job.owner_account != account.id or job.kind not in (SCAN, PUBLISH):
        raise Forbidden("this job belongs to another account")
    what = "Scan" if job.kind == SCAN else "Report"
    return page(
        request,
        "job.html",
        account,
        title=f"{what} job {job.id}",
        job=job,
        scanning=job.kind == SCAN,
        running=job.status in ("queued", "running"),
        link=_result_link(request, job),
    )
