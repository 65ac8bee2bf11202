"""Long jobs (scans) run in the background, with their progress visible while they run.

One worker thread per process by default, so a scan never starves the API;
jobs live in memory (a restart forgets queued jobs, while a finished scan's
dataset version and outputs stay in the registry and ``data_dir``).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from consentry.actions.ids import new_id
from consentry.actions.workspace import Workspace
from consentry.errors import ConsentryError, NotFound
from consentry.service.settings import ServiceSettings


@dataclass
class Job:
    """A background job: who owns it, where it stands, and what it produced."""

    id: str
    kind: str
    owner_party: str | None
    owner_account: str
    out_dir: Path
    status: str = "queued"
    shards_done: int = 0
    shards_total: int | None = None
    items_done: int = 0
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    finished_at: datetime | None = None
    error: str | None = None
    result: dict[str, Any] | None = None


class JobRunner:
    """Runs jobs on a small thread pool and keeps their state."""

    def __init__(self, ws: Workspace, settings: ServiceSettings, workers: int = 1) -> None:
        self.ws = ws
        self.root = settings.data_dir or ws.beside_database(".service", "consentry-service")
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="consentry-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def folder(self, job_id: str) -> Path:
        """The job's own folder under the service's data folder."""
        return self.root / "jobs" / job_id

    def new_job(self, kind: str, owner_party: str | None, owner_account: str) -> Job:
        """Create a queued job with a fresh folder."""
        job_id = new_id("job")
        job = Job(job_id, kind, owner_party, owner_account, self.folder(job_id) / "out")
        job.out_dir.parent.mkdir(parents=True, exist_ok=True)
        with self._lock:
            self._jobs[job_id] = job
        return job

    def start(self, job: Job, work: Callable[[Job], dict[str, Any]]) -> None:
        """Run ``work(job)`` in the background; its result or error lands on the job."""

        def run() -> None:
            job.status = "running"
            try:
                job.result = work(job)
                job.status = "done"
            except ConsentryError as exc:
                job.error, job.status = exc.message, "failed"
            except Exception as exc:  # a job must never take the server down
                job.error, job.status = f"internal error: {type(exc).__name__}", "failed"
            finally:
                job.finished_at = datetime.now(UTC)
                shutil.rmtree(self.folder(job.id) / "in", ignore_errors=True)

        self._pool.submit(run)

    def get(self, job_id: str) -> Job:
        """The job with this id, or :class:`NotFound`."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        return job

    def list(self) -> list[Job]:
        """Every job this process knows, newest first."""
        with self._lock:
            return sorted(self._jobs.values(), key=lambda j: j.created_at, reverse=True)

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job has finished (for tests and the CLI)."""
        import time

        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.status in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish."""
        self._pool.shutdown(wait=False, cancel_futures=True)
