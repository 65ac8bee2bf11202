"""Background jobs (``tables_jobs.jobs``): written as they run, read by every process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from consentry.errors import NotFound
from consentry.store.tables_jobs import jobs

LIVE = ("queued", "running")
"""The states of a job that has not ended."""


@dataclass(frozen=True, slots=True)
class Job:
    """A background job as recorded: who submitted it, where it stands, what it produced."""

    id: str
    kind: str
    owner_account: str
    owner_party: str | None
    status: str
    params: dict[str, Any]
    out_dir: Path
    shards_done: int
    shards_total: int | None
    items_done: int
    worker: str
    created_at: datetime
    heartbeat_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    hint: str | None = None
    result: dict[str, Any] | None = None


class JobStore:
    """Reads and writes jobs on the unit of work's connection (no business rules)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, job: Job) -> None:
        """Record a new job."""
        self.conn.execute(insert(jobs), [_row(job)])

    def get(self, job_id: str) -> Job:
        """The job with this id, or NotFound."""
        row = self.conn.execute(select(jobs).where(jobs.c.id == job_id)).mappings().one_or_none()
        if row is None:
            raise NotFound(f"no job {job_id!r}")
        return _job(row)

    def of(
        self, *, owner_account: str | None = None, kinds: Sequence[str] | None = None
    ) -> list[Job]:
        """Jobs, newest first, of one submitter (or all) and of the given kinds (or all)."""
        query = select(jobs)
        if owner_account is not None:
            query = query.where(jobs.c.owner_account == owner_account)
        if kinds is not None:
            query = query.where(jobs.c.kind.in_(list(kinds)))
        rows = self.conn.execute(query.order_by(jobs.c.created_at.desc(), jobs.c.id.desc()))
        return [_job(r) for r in rows.mappings()]

    def live(self) -> list[Job]:
        """Every job queued or running, by any process."""
        query = select(jobs).where(jobs.c.status.in_(LIVE)).order_by(jobs.c.created_at)
        return [_job(r) for r in self.conn.execute(query).mappings()]

    def change(self, job_id: str, *, only_if: Sequence[str] = (), **values: Any) -> bool:
        """Set columns of a job (``result`` and ``params`` as dicts); False when nothing matched.

        With ``only_if``, only a job in one of those states changes, so two
        processes racing to end or resume a job cannot both win.
        """
        for name in ("result", "params"):
            if name in values and values[name] is not None:
                values[name] = json.dumps(values[name], sort_keys=True)
        query = update(jobs).where(jobs.c.id == job_id)
        if only_if:
            query = query.where(jobs.c.status.in_(list(only_if)))
        return self.conn.execute(query.values(**values)).rowcount > 0

    def delete_of(self, owner_account: str) -> int:
        """Forget every job ``owner_account`` submitted (its account is being deleted)."""
        query = delete(jobs).where(jobs.c.owner_account == owner_account)
        return self.conn.execute(query).rowcount

    def touch(self, worker: str, at: datetime) -> int:
        """Refresh the heartbeat of every unfinished job of ``worker``; how many there were."""
        query = (
            update(jobs)
            .where(jobs.c.worker == worker, jobs.c.status.in_(LIVE))
            .values(heartbeat_at=at)
        )
        return self.conn.execute(query).rowcount


def _row(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "owner_account": job.owner_account,
        "owner_party": job.owner_party,
        "status": job.status,
        "params": json.dumps(job.params, sort_keys=True),
        "out_dir": str(job.out_dir),
        "shards_done": job.shards_done,
        "shards_total": job.shards_total,
        "items_done": job.items_done,
        "worker": job.worker,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "error": job.error,
        "hint": job.hint,
        "result": None if job.result is None else json.dumps(job.result, sort_keys=True),
    }


def _job(row: RowMapping) -> Job:
    return Job(
        id=row["id"],
        kind=row["kind"],
        owner_account=row["owner_account"],
        owner_party=row["owner_party"],
        status=row["status"],
        params=json.loads(row["params"]),
        out_dir=Path(row["out_dir"]),
        shards_done=row["shards_done"],
        shards_total=row["shards_total"],
        items_done=row["items_done"],
        worker=row["worker"],
        created_at=row["created_at"],
        heartbeat_at=row["heartbeat_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        error=row["error"],
        hint=row["hint"],
        result=None if row["result"] is None else json.loads(row["result"]),
    )
