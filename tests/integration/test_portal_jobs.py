"""The portal's long jobs (scans, report publishing) run in the background with progress.

A developer's scan goes to the service's job runner, which keeps the job in
the registry; the browser lands on the job's progress page, which reloads
itself while the job runs ("Scanning: 12 of 40 shards"), links to the result
when done, shows the error when failed, and says how to go on when the
server stopped before the job finished (a kept scan can be resumed). Only the
submitting account (or an administrator) sees a job. Real app over HTTP, on
SQLite and, with ``--db postgresql``, on PostgreSQL.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from fastapi import FastAPI
from portal_client import PASSWORD, Visitor
from portal_world import ESCAPED, EVIL, TEXTS, finish, make_app

from consentry.actions import accounts
from consentry.actions.jobs import Job, fail_job, get_job, job_progress, start_job, submit_job
from consentry.actions.scan_results import developer_scans, store_upload
from consentry.service.jobs import JobRunner
from consentry.service.portal.background import PUBLISH, SCAN
from consentry.store.jobs import JobStore

REFRESH = '<meta http-equiv="refresh" content="2">'


def _files(*names: str) -> list[tuple[str, tuple[str, bytes, str]]]:
    text = (TEXTS / "ruth.txt").read_bytes()
    return [("files", (n, text + n.encode(), "text/plain")) for n in names]


def _scanned(app: FastAPI) -> tuple[Visitor, Job, str]:
    """Devco scans three files through the portal; its visitor, finished job and result path."""
    dev = Visitor(app)
    dev.signup("dev@example.org", "developer", "Devco")
    response = dev.post("/scans", "/scans", {"use": "ai_training"}, files=_files("a", "b", "c"))
    assert response.status_code == 303, response.text
    result = finish(dev, response)
    job_id = response.headers["location"].split("/jobs/")[1]
    return dev, app.state.jobs.get(job_id), result


def _recorded(app: FastAPI, like: Job, kind: str = SCAN, worker: str | None = None) -> Job:
    """A job recorded for ``like``'s submitter, as a runner would, but never run."""
    runner: JobRunner = app.state.jobs
    return submit_job(
        runner.ws,
        job_id=runner.new_id(),
        kind=kind,
        owner_account=like.owner_account,
        owner_party=like.owner_party,
        out_dir=runner.root / "nowhere",
        worker=worker or runner.worker,
    )


def test_a_scan_runs_as_a_job_whose_done_page_links_to_the_results(app: FastAPI) -> None:
    dev, job, result = _scanned(app)
    assert job.kind == SCAN and job.status == "done"
    assert job.shards_total == 1 and job.shards_done == 1 and job.items_done == 3
    assert job.started_at is not None and job.finished_at is not None
    done = dev.get(f"/jobs/{job.id}").text
    assert "Done: 1 of 1 shards, 3 items decided" in done and REFRESH not in done
    assert job.result is not None and result == f"/scans/{job.result['dataset_id']}"
    page = dev.get(result)
    assert page.status_code == 200 and 'data-item="a"' in page.text
    assert [v.id for v in developer_scans(app.state.ws, job.owner_party or "")] == [
        job.result["dataset_id"]
    ]


def test_a_running_job_shows_its_progress_and_reloads_itself(app: FastAPI) -> None:
    dev, done, _ = _scanned(app)
    ws = app.state.ws
    job = _recorded(app, done)
    assert "Waiting to start" in dev.get(f"/jobs/{job.id}").text
    assert start_job(ws, job.id)
    job_progress(ws, job.id, shards_done=12, items_done=900, shards_total=40)
    page = dev.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    assert "Scanning: 12 of 40 shards" in page.text and "900 items decided" in page.text
    assert REFRESH in page.text and 'role="status"' in page.text
    publishing = _recorded(app, done, PUBLISH)
    start_job(ws, publishing.id)
    shown = dev.get(f"/jobs/{publishing.id}").text
    assert "Writing and publishing the report" in shown and REFRESH in shown


def test_a_failed_job_shows_its_error_escaped(app: FastAPI) -> None:
    dev, done, _ = _scanned(app)
    job = _recorded(app, done)
    fail_job(app.state.ws, job.id, f"the corpus {EVIL} is broken")
    page = dev.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and REFRESH not in page.text
    assert f"It failed: the corpus {ESCAPED} is broken" in page.text and EVIL not in page.text


def test_only_the_submitting_account_or_an_administrator_sees_its_jobs(app: FastAPI) -> None:
    dev, job, _ = _scanned(app)
    colleague = Visitor(app)
    colleague.signup("other@example.org", "developer", "Other AI")
    assert colleague.get(f"/jobs/{job.id}").status_code == 403
    creator = Visitor(app)
    creator.signup("ada@example.org", "creator", "Ada")
    assert creator.get(f"/jobs/{job.id}").status_code == 403
    assert dev.get("/jobs/job_nothing").status_code == 404
    signed_out = Visitor(app).get(f"/jobs/{job.id}")
    assert signed_out.status_code == 303 and "/login" in signed_out.headers["location"]
    api_job = _recorded(app, job, "scan")
    assert dev.get(f"/jobs/{api_job.id}").status_code == 404  # the API's jobs are the API's
    accounts.signup(app.state.ws, "admin@example.org", PASSWORD, "administrator", "")
    admin = Visitor(app)
    assert admin.login("admin@example.org").status_code == 303
    assert "Done: 1 of 1 shards" in admin.get(f"/jobs/{job.id}").text


def test_bad_uploads_are_refused_before_any_job_exists(app: FastAPI) -> None:
    dev = Visitor(app)
    dev.signup("dev@example.org", "developer", "Devco")
    twice = dev.post("/scans", "/scans", {"use": "ai_training"}, files=_files("a", "a"))
    assert twice.status_code == 400 and "same name" in twice.text
    unknown = dev.post("/scans", "/scans", {"use": "mining"}, files=_files("a"))
    assert unknown.status_code == 400 and "unknown use" in unknown.text
    with app.state.ws.engine.connect() as conn:
        assert JobStore(conn).of() == []


def test_a_job_survives_a_restart_and_another_process_sees_it(
    app: FastAPI, database_url: str, tmp_path: Path
) -> None:
    _dev, job, _ = _scanned(app)
    app.state.jobs.shutdown()
    again = make_app(database_url, tmp_path / "service")  # a restart, or a second process
    try:
        assert again.state.jobs.worker != app.state.jobs.worker
        seen = get_job(again.state.ws, job.id)
        assert (seen.status, seen.items_done, seen.result) == ("done", 3, job.result)
        client = Visitor(again)
        assert client.login("dev@example.org").status_code == 303
        assert "Done: 1 of 1 shards, 3 items decided" in client.get(f"/jobs/{job.id}").text
    finally:
        again.state.jobs.shutdown()
        again.state.ws.close()


def test_a_scan_left_running_by_a_dead_process_is_interrupted_then_resumed(
    app: FastAPI, database_url: str, tmp_path: Path
) -> None:
    _dev, done, _ = _scanned(app)
    ws, runner = app.state.ws, app.state.jobs
    folder, _use = store_upload(
        ws, [("d.txt", (TEXTS / "ruth.txt").read_bytes())], use="ai_training", root=runner.root
    )
    dead = f"{socket.gethostname()}:{os.getpid()}:before-restart"  # this pid, an older process
    params = {"folder": str(folder), "input": str(folder / "corpus"), "use": "ai_training"}
    job = submit_job(
        ws,
        job_id=runner.new_id(),
        kind=SCAN,
        owner_account=done.owner_account,
        owner_party=done.owner_party,
        out_dir=folder / "out",
        worker=dead,
        params=params,
        shards_total=1,
    )
    start_job(ws, job.id)
    lost = _recorded(app, done, PUBLISH, worker=dead)
    runner.shutdown()
    restarted = make_app(database_url, tmp_path / "service")
    try:
        assert {j.id for j in restarted.state.jobs.interrupted} == {job.id, lost.id}
        visitor = Visitor(restarted)
        assert visitor.login("dev@example.org").status_code == 303
        page = visitor.get(f"/jobs/{job.id}").text
        assert "It was interrupted: the server stopped before it finished" in page
        assert "Resume the scan" in page and REFRESH not in page
        publish = visitor.get(f"/jobs/{lost.id}").text
        assert "publish the report again from the Models page" in publish
        assert "Resume the scan" not in publish
        resumed = visitor.post(f"/jobs/{job.id}", f"/jobs/{job.id}/resume", {})
        assert resumed.status_code == 303
        result = finish(visitor, resumed)
        assert result.startswith("/scans/")
        again = visitor.post(f"/jobs/{job.id}", f"/jobs/{job.id}/resume", {})
        assert again.status_code == 400 and "not interrupted" in again.text
    finally:
        restarted.state.jobs.shutdown()
        restarted.state.ws.close()


def test_only_the_submitter_resumes_and_only_with_a_csrf_token(
    app: FastAPI, database_url: str, tmp_path: Path
) -> None:
    dev, done, _ = _scanned(app)
    ws = app.state.ws
    job = _recorded(app, done, worker="gone-host:1:x")
    with ws.engine.begin() as conn:
        JobStore(conn).change(job.id, status="interrupted")
    other = Visitor(app)
    other.signup("other@example.org", "developer", "Other AI")
    refused = other.post("/scans", f"/jobs/{job.id}/resume", {})
    assert refused.status_code == 403
    no_token = dev.client.post(f"/jobs/{job.id}/resume", data={})
    assert no_token.status_code == 403
    cannot = dev.post(f"/jobs/{job.id}", f"/jobs/{job.id}/resume", {})
    assert cannot.status_code == 400 and "cannot be resumed" in cannot.text  # no input kept
    assert get_job(ws, job.id).status == "interrupted"
