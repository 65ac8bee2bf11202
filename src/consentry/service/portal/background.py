"""The portal's long jobs (scans, report publishing) run in the background.

Submitting a scan or publishing a report hands the work to the service's
:class:`~consentry.service.jobs.JobRunner` (the same one the API's scans use)
and sends the browser to the job's progress page, which reloads itself every
two seconds while the job runs, links to the result when it is done and shows
the error when it failed. Only the account that submitted a job sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.published import publish_report
from consentry.actions.scan_results import scan_stored, store_upload
from consentry.corpus import open_corpus
from consentry.corpus.item import Shard
from consentry.errors import Forbidden
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
    ws, root = workspace(request), service_settings(request).data_dir
    folder, chosen = store_upload(ws, files, use=use, root=root)
    runner = _runner(request)
    job = runner.new_job(SCAN, developer, account.id)
    job.shards_total = len(open_corpus(folder / "corpus").shards())

    def progress(shard: Shard, items: int) -> None:
        job.shards_done += 1
        job.items_done += items

    def work(job: Job) -> dict[str, Any]:
        summary = scan_stored(ws, folder, developer, chosen, root=root, on_done=progress)
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
