"""Background jobs kept in the registry: the 0011 migration, the actions, the runner.

A job's state is a row of ``jobs``: written when it is submitted and as it
runs (progress at most every half second), read by every process. A starting
process marks ``interrupted`` the jobs of processes that are gone, and only
those. On SQLite and, with ``--db postgresql``, on PostgreSQL.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect
from sqlalchemy.engine import Engine

from consentry.actions import jobs as jobs_actions
from consentry.actions.jobs import (
    STALE_AFTER,
    finish_job,
    get_job,
    interrupt_orphans,
    resume_job,
    start_job,
    submit_job,
    worker_gone,
)
from consentry.actions.workspace import Workspace, init
from consentry.errors import ConflictError
from consentry.service.jobs import API_SCAN, PORTAL_PUBLISH, JobRunner, Progress, hint_for
from consentry.service.settings import ServiceSettings
from consentry.store.engine import _alembic_config
from consentry.store.jobs import JobStore

HOST = socket.gethostname()
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def ws(database_url: str) -> Any:
    workspace = init(database_url)
    yield workspace
    workspace.close()


def _dead_pid() -> int:
    """The pid of a process that has ended (and was reaped)."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], check=True,
                           capture_output=True, text=True)  # fmt: skip
    return int(child.stdout)


def _job(ws: Workspace, worker: str, *, kind: str = API_SCAN, **params: Any) -> str:
    job_id = f"job_{len(worker)}_{abs(hash((worker, kind))) % 10**8}"
    submit_job(
        ws,
        job_id=job_id,
        kind=kind,
        owner_account="a_1",
        owner_party="p_1",
        out_dir=Path("/nowhere"),
        worker=worker,
        params=params,
    )
    return job_id


def test_migration_0011_adds_and_drops_the_jobs_table(engine: Engine) -> None:
    assert "jobs" in inspect(engine).get_table_names()
    config = _alembic_config(engine)
    command.downgrade(config, "0010")
    assert "jobs" not in inspect(engine).get_table_names()
    command.upgrade(config, "head")
    names = {i["name"] for i in inspect(engine).get_indexes("jobs")}
    assert names == {"ix_jobs_owner_account", "ix_jobs_status"}


def test_a_job_goes_from_queued_to_done_and_is_read_back_whole(ws: Workspace) -> None:
    job_id = _job(ws, "me:1:a", input="/in/corpus.jsonl", use="ai_training")
    queued = get_job(ws, job_id)
    assert (queued.status, queued.shards_done, queued.params["use"]) == ("queued", 0, "ai_training")
    assert start_job(ws, job_id) and not start_job(ws, job_id)  # started once
    finish_job(ws, job_id, {"items": 3, "reasons": {"unlicensed": 2}})
    done = get_job(ws, job_id)
    assert done.status == "done" and done.result == {"items": 3, "reasons": {"unlicensed": 2}}
    assert done.finished_at is not None and done.finished_at.tzinfo is not None
    with pytest.raises(ConflictError, match="not interrupted"):
        resume_job(ws, job_id, "me:1:a")


@settings(deadline=None)  # a shared machine: no timing limit
@given(st.text(max_size=20), st.integers(0, 10**6))
def test_a_worker_is_never_gone_to_itself_and_always_gone_when_silent(
    token: str, seconds: int
) -> None:
    me = f"{HOST}:{os.getpid()}:{token}"
    assert not worker_gone(me, me, NOW - timedelta(seconds=seconds), NOW)
    silent = NOW - STALE_AFTER - timedelta(seconds=1 + seconds)
    assert worker_gone(f"elsewhere:{seconds}:{token}", me, silent, NOW)


def test_only_jobs_of_gone_processes_are_interrupted_with_how_to_go_on(
    ws: Workspace, tmp_path: Path
) -> None:
    kept = tmp_path / "in" / "corpus.jsonl"
    kept.parent.mkdir()
    kept.write_text("{}\n")
    me = f"{HOST}:{os.getpid()}:new"
    restarted = _job(ws, f"{HOST}:{os.getpid()}:old", input=str(kept))  # same pid, older process
    dead = _job(ws, f"{HOST}:{_dead_pid()}:x", input=str(tmp_path / "gone.jsonl"))
    publish = _job(ws, f"{HOST}:{_dead_pid()}:y", kind=PORTAL_PUBLISH)
    elsewhere = _job(ws, "other-host:7:z")  # another live process: fresh heartbeat
    silent = _job(ws, "other-host:8:z")
    mine = _job(ws, me)
    ended = _job(ws, "other-host:9:z")
    finish_job(ws, ended, {})
    with ws.engine.begin() as conn:
        JobStore(conn).change(silent, heartbeat_at=ws.now() - STALE_AFTER * 2)
    start_job(ws, restarted)
    gone = {j.id: j for j in interrupt_orphans(ws, me, hint_for)}
    assert set(gone) == {restarted, dead, publish, silent}
    assert all(
        j.status == "interrupted" and "interrupted" in (j.error or "") for j in gone.values()
    )
    assert gone[restarted].hint == f"resume it with POST /api/v1/scans/{restarted}/resume: " + (
        "the shards it finished are kept"
    )
    assert gone[dead].hint == "submit the scan again with POST /api/v1/scans"  # input lost
    assert gone[publish].hint == "publish the report again from the Models page"
    assert {get_job(ws, j).status for j in (elsewhere, mine)} == {"queued"}
    assert get_job(ws, ended).status == "done"
    assert interrupt_orphans(ws, me, hint_for) == []  # once
    resumed = resume_job(ws, restarted, me)
    assert (resumed.status, resumed.worker, resumed.error) == ("queued", me, None)


def test_progress_is_written_at_most_every_half_second_and_flushed_at_the_end(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    job_id = _job(ws, "me:1:a")
    start_job(ws, job_id)
    clock = [100.0]
    writes: list[tuple[int, int]] = []
    real = jobs_actions.job_progress

    def counting(ws: Workspace, job_id: str, **counts: Any) -> None:
        writes.append((counts["shards_done"], counts["items_done"]))
        real(ws, job_id, **counts)

    monkeypatch.setattr("consentry.service.jobs.time.monotonic", lambda: clock[0])
    monkeypatch.setattr("consentry.service.jobs.job_progress", counting)
    progress = Progress(ws, job_id)
    for step in range(10):  # ten shards in 0.9 s: the first, then one after 0.5 s
        clock[0] = 100.0 + step / 10
        progress(None, 5)
    assert writes == [(1, 5), (6, 30)]
    assert get_job(ws, job_id).items_done == 30
    progress.flush()
    assert writes[-1] == (10, 50) and get_job(ws, job_id).shards_done == 10
    progress.flush()
    assert len(writes) == 3  # nothing new, nothing written


def test_the_runner_records_a_failure_and_a_crash_without_going_down(
    ws: Workspace, tmp_path: Path
) -> None:
    from consentry.errors import InvalidInput

    runner = JobRunner(ws, ServiceSettings(data_dir=tmp_path / "service"))

    def refused(progress: Progress) -> dict[str, Any]:
        progress.total(2)
        progress(None, 4)
        raise InvalidInput("the corpus is not JSON", hint="check line 3")

    def crashed(progress: Progress) -> dict[str, Any]:
        raise RuntimeError("secret internals")

    try:
        first = runner.submit(API_SCAN, "p_1", "a_1", refused)
        second = runner.submit(API_SCAN, "p_1", "a_1", crashed)
        failed, broken = runner.wait(first.id), runner.wait(second.id)
    finally:
        runner.shutdown()
    assert (failed.status, failed.error, failed.hint) == (
        "failed", "the corpus is not JSON", "check line 3"
    )  # fmt: skip
    assert (failed.shards_done, failed.shards_total, failed.items_done) == (1, 2, 4)
    assert broken.status == "failed" and broken.error == "internal error: RuntimeError"
