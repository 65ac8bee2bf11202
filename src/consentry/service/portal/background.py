"""The portal's long jobs (scans, report publishing) run in the background.

Submitting a scan or publishing a report hands the work to the service's
:class:`~consentry.service.jobs.JobRunner` (the same one the API's scans use),
which keeps the job in the registry, and sends the browser to the job's
progress page, which reloads itself every two seconds while the job runs,
links to the result when it is done and shows the error when it failed. A job
its server process did not finish shows as interrupted, with what to do; an
interrupted scan whose upload is kept has a button to resume it. Only the
account that submitted a job (or an administrator) sees it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.jobs import Job, job_for
from consentry.actions.published import publish_report
from consentry.actions.scan_results import scan_stored, store_upload
from consentry.actions.workspace import Workspace
from consentry.corpus import open_corpus
from consentry.domain import Use
from consentry.errors import Forbidden
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.jobs import (
    PORTAL_PUBLISH,
    PORTAL_SCAN,
    JobRunner,
    Progress,
    Work,
    resumable,
)
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
SCAN, PUBLISH = PORTAL_SCAN, PORTAL_PUBLISH


def _runner(request: Request) -> JobRunner:
    runner: JobRunner = request.app.state.jobs
    return runner


def _scan_work(ws: Workspace, root: Path | None, developer: str, params: dict[str, Any]) -> Work:
    """The scan a portal job runs, from its parameters (also to resume it)."""

    def work(progress: Progress) -> dict[str, Any]:
        folder = Path(params["folder"])
        chosen = Use(params["use"])
        summary = scan_stored(ws, folder, developer, chosen, root=root, on_done=progress)
        return {"dataset_id": summary.dataset_version, **summary.as_json()}

    return work


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
    params = {"folder": str(folder), "input": str(folder / "corpus"), "use": chosen.value}
    return _runner(request).submit(
        SCAN,
        developer,
        account.id,
        _scan_work(ws, root, developer, params),
        params=params,
        out_dir=folder / "out",
        shards_total=len(open_corpus(folder / "corpus").shards()),
    )


def submit_publish(request: Request, account: Account, model_version_id: str) -> Job:
    """Write and publish a model version's report in the background; the job."""
    ws, root = workspace(request), service_settings(request).data_dir

    def work(progress: Progress) -> dict[str, Any]:
        publish_report(ws, model_version_id, root=root)
        return {"model_version_id": model_version_id}

    params = {"model_version_id": model_version_id}
    return _runner(request).submit(PUBLISH, account.party_id, account.id, work, params=params)


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
    job = job_for(workspace(request), account, job_id, (SCAN, PUBLISH))
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
        can_resume=job.status == "interrupted"
        and job.owner_account == account.id
        and resumable(job),
    )


@router.post(
    "/jobs/{job_id}/resume", name="portal_job_resume", dependencies=[Depends(require_csrf)]
)
def job_resume(request: Request, job_id: str, account: SignedIn) -> Response:
    """Resume the submitter's interrupted scan where it stopped; back to its progress page."""
    ws = workspace(request)
    job = job_for(ws, account, job_id, (SCAN,))
    if job.owner_account != account.id or job.owner_party is None:
        raise Forbidden("only the account that started this scan can resume it")
    root = service_settings(request).data_dir
    _runner(request).resume(job.id, _scan_work(ws, root, job.owner_party, job.params))
    return see_other(request, "portal_job", job_id=job.id)
