"""Long jobs (scans, report publishing) run in the background; their state is in the registry.

One worker thread per process by default, so a scan never starves the API.
Every job is a row of the registry's ``jobs`` table (through
:mod:`consentry.actions.jobs`): submitted, started, its progress (written at
most every :data:`PROGRESS_EVERY` seconds), then done, failed or
interrupted. The API and the portal read it there, so a restart keeps every
job and any server process shows any job. While this process has unfinished
jobs, a heartbeat thread refreshes them; a process starting up marks jobs left
unfinished by a process that is gone ``interrupted``, saying how to go on
(:data:`HINTS`): a scan whose input is still on disk can be resumed, and
skips the shards it had finished.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from consentry.actions.ids import new_id
from consentry.actions.jobs import (
    LIVE,
    Job,
    fail_job,
    finish_job,
    get_job,
    interrupt_orphans,
    job_progress,
    resume_job,
    start_job,
    submit_job,
    touch_jobs,
    worker_id,
)
from consentry.actions.workspace import Workspace
from consentry.errors import ConflictError, ConsentryError
from consentry.service.settings import ServiceSettings

log = logging.getLogger(__name__)

API_SCAN, API_PUBLISH = "scan", "publish"
PORTAL_SCAN, PORTAL_PUBLISH = "portal-scan", "portal-publish"
PROGRESS_EVERY = 0.5
"""Seconds between two progress writes of one job (the last one is always written)."""
HEARTBEAT_EVERY = 5.0
"""Seconds between two heartbeats of this process's unfinished jobs."""
HINTS: dict[str, tuple[str | None, str]] = {
    API_SCAN: (
        "resume it with POST /api/v1/scans/{id}/resume: the shards it finished are kept",
        "submit the scan again with POST /api/v1/scans",
    ),
    PORTAL_SCAN: (
        "resume it with “Resume the scan” on its page: the shards it finished are kept",
        "scan the files again from the Scans page",
    ),
    API_PUBLISH: (None, "publish the report again with POST /api/v1/reports/<model>/publish"),
    PORTAL_PUBLISH: (None, "publish the report again from the Models page"),
}
"""Per kind of job: how to resume it (None: it cannot be), and how to start it again."""

Work = Callable[["Progress"], dict[str, Any]]


def job_view(job: Job) -> dict[str, Any]:
    """A job as the API shows it: status, progress, error and hint, result."""
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "shards_done": job.shards_done,
        "shards_total": job.shards_total,
        "items_done": job.items_done,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "error": job.error,
        "hint": job.hint,
        "summary": job.result,
    }


def resumable(job: Job) -> bool:
    """True when an ended job can be resumed: a scan whose input is still on disk."""
    resume = HINTS.get(job.kind, (None, ""))[0]
    source = job.params.get("input")
    return resume is not None and isinstance(source, str) and Path(source).exists()


def hint_for(job: Job) -> str | None:
    """What to do about an interrupted job: resume it when it can be, else start it again."""
    resume, again = HINTS.get(job.kind, (None, "submit it again"))
    if resumable(job) and resume is not None:
        return resume.format(id=job.id)
    return again


class Progress:
    """A running job's counters, written to the registry at most every ``every`` seconds.

    Called as a scan's ``on_done(shard, items)``; :meth:`flush` writes what is
    not written yet.
    """

    def __init__(self, ws: Workspace, job_id: str, every: float = PROGRESS_EVERY) -> None:
        self.ws, self.job_id, self.every = ws, job_id, every
        self.shards_done = self.items_done = 0
        self.shards_total: int | None = None
        self._written_at = float("-inf")
        self._dirty = False

    def total(self, shards: int) -> None:
        """Say how many shards there are (written with the next progress)."""
        self.shards_total = shards
        self._changed()

    def __call__(self, shard: object, items: int) -> None:
        """One more shard done, with ``items`` items decided."""
        self.shards_done += 1
        self.items_done += items
        self._changed()

    def _changed(self) -> None:
        self._dirty = True
        if time.monotonic() - self._written_at >= self.every:
            self.flush()

    def flush(self) -> None:
        """Write the counters now, if they changed (a failed write is logged, not raised)."""
        if not self._dirty:
            return
        try:
            job_progress(
                self.ws,
                self.job_id,
                shards_done=self.shards_done,
                items_done=self.items_done,
                shards_total=self.shards_total,
            )
        except Exception:  # progress is for show: never let it fail the job
            log.exception("could not record the progress of job %s", self.job_id)
            return
        self._written_at, self._dirty = time.monotonic(), False


class JobRunner:
    """Runs jobs on a small thread pool and records their state through the actions."""

    def __init__(
        self,
        ws: Workspace,
        settings: ServiceSettings,
        workers: int = 1,
        *,
        worker: str | None = None,
    ) -> None:
        self.ws = ws
        self.root = settings.data_dir or ws.beside_database(".service", "consentry-service")
        self.worker = worker or worker_id()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="consentry-job")
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beating: threading.Thread | None = None
        self.interrupted = interrupt_orphans(ws, self.worker, hint_for)

    def folder(self, job_id: str) -> Path:
        """The job's own folder under the service's data folder."""
        return self.root / "jobs" / job_id

    def new_id(self) -> str:
        """A fresh job id, with its folder made (uploads go there before the job is submitted)."""
        job_id = new_id("job")
        self.folder(job_id).mkdir(parents=True, exist_ok=True)
        return job_id

    def submit(
        self,
        kind: str,
        owner_party: str | None,
        owner_account: str,
        work: Work,
        *,
        job_id: str | None = None,
        params: dict[str, Any] | None = None,
        out_dir: Path | None = None,
        shards_total: int | None = None,
    ) -> Job:
        """Record a queued job and run ``work(progress)`` in the background; the job."""
        job_id = job_id or self.new_id()
        job = submit_job(
            self.ws,
            job_id=job_id,
            kind=kind,
            owner_account=owner_account,
            owner_party=owner_party,
            out_dir=out_dir or self.folder(job_id) / "out",
            worker=self.worker,
            params=params,
            shards_total=shards_total,
        )
        self._run(job, work)
        return job

    def resume(self, job_id: str, work: Work) -> Job:
        """Run an interrupted, resumable job again in this process; the job, queued."""
        job = get_job(self.ws, job_id)
        if job.status == "interrupted" and not resumable(job):
            raise ConflictError(f"job {job_id} cannot be resumed", hint=hint_for(job))
        job = resume_job(self.ws, job_id, self.worker)
        self._run(job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        with self._lock:
            self._pending.add(job.id)
        self._heartbeat()
        self._pool.submit(self._execute, job, work)

    def _execute(self, job: Job, work: Work) -> None:
        progress = Progress(self.ws, job.id)
        progress.shards_total = job.shards_total
        try:
            if not start_job(self.ws, job.id):
                return  # interrupted or ended meanwhile
            result = work(progress)
            progress.flush()
            finish_job(self.ws, job.id, result)
        except ConsentryError as exc:
            progress.flush()
            fail_job(self.ws, job.id, exc.message, exc.hint)
        except Exception as exc:  # a job must never take the server down
            log.exception("job %s failed", job.id)
            fail_job(self.ws, job.id, f"internal error: {type(exc).__name__}")
        finally:
            shutil.rmtree(self.folder(job.id) / "in", ignore_errors=True)
            with self._lock:
                self._pending.discard(job.id)

    def _heartbeat(self) -> None:
        """Start the heartbeat thread unless it runs; it stops when no job is pending."""
        with self._lock:
            if self._beating is not None and self._beating.is_alive():
                return
            self._beating = threading.Thread(
                target=self._beat, name="consentry-job-heartbeat", daemon=True
            )
            self._beating.start()

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_EVERY):
            with self._lock:
                if not self._pending:
                    self._beating = None
                    return
            try:
                touch_jobs(self.ws, self.worker)
            except Exception:  # the next beat tries again
                log.exception("could not refresh the jobs' heartbeat")

    def get(self, job_id: str) -> Job:
        """The job with this id as recorded now, or NotFound."""
        return get_job(self.ws, job_id)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job has ended, or ``timeout`` passed (for tests and the CLI)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in LIVE and time.monotonic() < deadline:
            time.sleep(0.02)
            job = self.get(job_id)
        while job.id in self._pending and time.monotonic() < deadline:
            time.sleep(0.02)  # its clean-up, after the state was written
        return job

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish (a process that dies leaves them interrupted)."""
        self._stop.set()
        self._pool.shutdown(wait=False, cancel_futures=True)
