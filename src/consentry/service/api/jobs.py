"""Background jobs of every kind (scans, report publishing, the portal's), for their submitter.

Jobs are kept in the registry (:mod:`consentry.actions.jobs`), so this shows
the same from any server process and after a restart. Only the account that
submitted a job, or an administrator, sees it; anyone else gets 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from consentry.actions.jobs import job_for, list_jobs
from consentry.errors import Forbidden, NotFound
from consentry.service.auth import Account, current_account, workspace
from consentry.service.jobs import HINTS, job_view

router = APIRouter(tags=["jobs"])
Me = Annotated[Account, Depends(current_account)]


@router.get("/jobs")
def list_all(account: Me, request: Request) -> list[dict[str, Any]]:
    """Your background jobs of every kind (administrators: everyone's), newest first."""
    return [job_view(j) for j in list_jobs(workspace(request), account, tuple(HINTS))]


@router.get("/jobs/{job_id}")
def show(job_id: str, account: Me, request: Request) -> dict[str, Any]:
    """One job: its status, progress, error and hint, and its result once done."""
    try:
        return job_view(job_for(workspace(request), account, job_id, tuple(HINTS)))
    except (NotFound, Forbidden):
        raise NotFound(f"no job {job_id!r} of yours") from None
