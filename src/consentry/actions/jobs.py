"""Background jobs, kept in the registry: submit, progress, finish, fail, list, interrupt, resume.

The service's job runner writes a job's state here as it runs, and the API
and the portal read it here, so a job survives a restart and every server
process sees every job. Only the account that submitted a job, or an
administrator, may see it (:func:`job_for`, :func:`list_jobs`).

A job's ``worker`` is ``host:pid:token`` of the process running it; while it
runs, that process refreshes the job's heartbeat. A process starting up calls
:func:`interrupt_orphans`: a job left queued or running by a process that is
gone (same host and its pid is not running, or is the new process's own pid;
or no heartbeat for :data:`STALE_AFTER`) is marked ``interrupted``, with a
message, and a hint saying how to go on.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from consentry.actions.accounts import Account
from consentry.actions.workspace import Workspace
from consentry.errors import ConflictError, Forbidden, NotFound
from consentry.store.jobs import LIVE, Job, JobStore

__all__ = [
    "LIVE",
    "STALE_AFTER",
    "Job",
    "fail_job",
    "finish_job",
    "get_job",
    "interrupt_orphans",
    "job_for",
    "job_progress",
    "list_jobs",
    "resume_job",
    "start_job",
    "submit_job",
    "touch_jobs",
    "worker_id",
]

STALE_AFTER = timedelta(seconds=60)
"""A job whose heartbeat is older than this has lost its process (it beats every few seconds)."""


def worker_id() -> str:
    """This process's worker name: ``host:pid:token`` (the token tells restarts apart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def submit_job(
    ws: Workspace,
    *,
    job_id: str,
    kind: str,
    owner_account: str,
    owner_party: str | None,
    out_dir: Path,
    worker: str,
    params: dict[str, Any] | None = None,
    shards_total: int | None = None,
) -> Job:
    """Record a new queued job for ``worker`` to run; the job."""
    now = ws.now()
    job = Job(
        id=job_id,
        kind=kind,
        owner_account=owner_account,
        owner_party=owner_party,
        status="queued",
        params=params or {},
        out_dir=out_dir,
        shards_done=0,
        shards_total=shards_total,
        items_done=0,
        worker=worker,
        created_at=now,
        heartbeat_at=now,
    )
    with ws.transaction() as registry:
        JobStore(registry.conn).add(job)
    return job


def _change(ws: Workspace, job_id: str, only_if: Sequence[str] = (), **values: Any) -> bool:
    with ws.transaction() as registry:
        return JobStore(registry.conn).change(job_id, only_if=only_if, **values)


def start_job(ws: Workspace, job_id: str) -> bool:
    """Mark a queued job running; False when it is no longer queued (e.g. interrupted)."""
    now = ws.now()
    return _change(ws, job_id, ("queued",), status="running", started_at=now, heartbeat_at=now)


def job_progress(
    ws: Workspace,
    job_id: str,
    *,
    shards_done: int,
    items_done: int,
    shards_total: int | None = None,
) -> None:
    """Record how far a running job has got (and that its process is alive)."""
    values: dict[str, Any] = {"shards_done": shards_done, "items_done": items_done}
    if shards_total is not None:
        values["shards_total"] = shards_total
    _change(ws, job_id, ("running",), heartbeat_at=ws.now(), **values)


def finish_job(ws: Workspace, job_id: str, result: dict[str, Any]) -> None:
    """Mark a running job done with its result."""
    now = ws.now()
    _change(ws, job_id, LIVE, status="done", result=result, finished_at=now, heartbeat_at=now)


def fail_job(ws: Workspace, job_id: str, error: str, hint: str | None = None) -> None:
    """Mark an unfinished job failed with its error (shown to its submitter)."""
    now = ws.now()
    _change(ws, job_id, LIVE, status="failed", error=error, hint=hint, finished_at=now)


def get_job(ws: Workspace, job_id: str) -> Job:
    """The job with this id, whoever submitted it (for the runner), or NotFound."""
    with ws.transaction() as registry:
        return JobStore(registry.conn).get(job_id)


def job_for(ws: Workspace, account: Account, job_id: str, kinds: Sequence[str]) -> Job:
    """A job of one of ``kinds`` that ``account`` may see: its submitter's, or any for admins.

    NotFound when there is no such job of those kinds; Forbidden when it is
    another account's.
    """
    try:
        job = get_job(ws, job_id)
    except NotFound:
        raise NotFound(f"no job {job_id!r}") from None
    if job.kind not in kinds:
        raise NotFound(f"no job {job_id!r} here")
    if not (account.is_admin or job.owner_account == account.id):
        raise Forbidden("this job belongs to another account")
    return job


def list_jobs(ws: Workspace, account: Account, kinds: Sequence[str]) -> list[Job]:
    """The jobs of ``kinds`` ``account`` submitted (administrators: everyone's), newest first."""
    owner = None if account.is_admin else account.id
    with ws.transaction() as registry:
        return JobStore(registry.conn).of(owner_account=owner, kinds=kinds)


def touch_jobs(ws: Workspace, worker: str) -> int:
    """Refresh the heartbeat of ``worker``'s unfinished jobs; how many it has."""
    with ws.transaction() as registry:
        return JobStore(registry.conn).touch(worker, ws.now())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def worker_gone(worker: str, me: str, heartbeat_at: datetime, now: datetime) -> bool:
    """True when the process named ``worker`` is no longer running its jobs.

    ``me`` is the asking process's own worker name. A worker on this host is
    gone when its pid is not running or is this process's own (a restart
    that got the same pid); any worker is gone when its heartbeat is stale.
    """
    if worker == me:
        return False
    if now - heartbeat_at > STALE_AFTER:
        return True
    host, _, rest = worker.partition(":")
    my_host, _, my_rest = me.partition(":")
    pid_text, my_pid = rest.partition(":")[0], my_rest.partition(":")[0]
    if host != my_host or not pid_text.isdigit():
        return False
    return pid_text == my_pid or not _pid_alive(int(pid_text))


def interrupt_orphans(ws: Workspace, me: str, hint_for: Callable[[Job], str | None]) -> list[Job]:
    """Mark ``interrupted`` every unfinished job whose process is gone; those jobs.

    ``hint_for(job)`` says how to go on (resume a scan, submit it again).
    """
    with ws.transaction() as registry:
        candidates = JobStore(registry.conn).live()
    now, ended = ws.now(), []
    for job in candidates:
        if not worker_gone(job.worker, me, job.heartbeat_at, now):
            continue
        error = (
            f"interrupted: the server process running it ({job.worker.rsplit(':', 1)[0]}) "
            f"stopped before it finished ({job.status}, {job.shards_done} shards done)"
        )
        hint = hint_for(job)
        if _change(ws, job.id, LIVE, status="interrupted", error=error, hint=hint, finished_at=now):
            ended.append(get_job(ws, job.id))
    return ended


def resume_job(ws: Workspace, job_id: str, worker: str) -> Job:
    """Queue an interrupted job again, for ``worker``, with its progress reset; the job.

    ConflictError when it is not interrupted (a job is resumed once; a done
    or failed one never).
    """
    now = ws.now()
    reset: dict[str, Any] = {"shards_done": 0, "items_done": 0, "error": None, "hint": None}
    moved = _change(
        ws,
        job_id,
        ("interrupted",),
        status="queued",
        worker=worker,
        heartbeat_at=now,
        finished_at=None,
        **reset,
    )
    if not moved:
        job = get_job(ws, job_id)
        raise ConflictError(f"job {job_id} is {job.status}, not interrupted: nothing to resume")
    return get_job(ws, job_id)
