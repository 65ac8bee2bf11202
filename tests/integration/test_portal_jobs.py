"""The portal's long jobs (scans, report publishing) run in the background with progress.

A developer's scan goes to the service's job runner; the browser lands on the
job's progress page, which reloads itself while the job runs ("Scanning: 12 of
40 shards"), links to the result when done and shows the error when failed.
Only the submitting account sees its jobs. Real app over HTTP, on SQLite and,
with ``--db postgresql``, on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from portal_client import Visitor
from portal_world import ESCAPED, EVIL, TEXTS, finish, make_app

from consentry.actions import accounts
from consentry.actions.scan_results import developer_scans
from consentry.service.jobs import Job, JobRunner
from consentry.service.portal.background import PUBLISH, SCAN

REFRESH = '<meta http-equiv="refresh" content="2">'


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, at its cheapest settings: the pages are under test here, not the hash."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    application = make_app(database_url, tmp_path / "service")
    yield application
    application.state.ws.close()


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


def test_a_scan_runs_as_a_job_whose_done_page_links_to_the_results(app: FastAPI) -> None:
    dev, job, result = _scanned(app)
    assert job.kind == SCAN and job.shards_total == 1 and job.shards_done == 1
    assert job.items_done == 3
    done = dev.get(f"/jobs/{job.id}").text
    assert "Done: 1 of 1 shards, 3 items decided" in done and REFRESH not in done
    assert result == f"/scans/{job.result['dataset_id']}"  # type: ignore[index]
    page = dev.get(result)
    assert page.status_code == 200 and 'data-item="a"' in page.text
    assert [v.id for v in developer_scans(app.state.ws, job.owner_party or "")] == [
        job.result["dataset_id"]  # type: ignore[index]
    ]


def test_a_running_job_shows_its_progress_and_reloads_itself(app: FastAPI) -> None:
    dev, done, _ = _scanned(app)
    runner: JobRunner = app.state.jobs
    job = runner.new_job(SCAN, done.owner_party, done.owner_account)
    job.status, job.shards_done, job.shards_total, job.items_done = "running", 12, 40, 900
    page = dev.get(f"/jobs/{job.id}")
    assert page.status_code == 200
    assert "Scanning: 12 of 40 shards" in page.text and "900 items decided" in page.text
    assert REFRESH in page.text and 'role="status"' in page.text
    job.status = "queued"
    assert "Waiting to start" in dev.get(f"/jobs/{job.id}").text
    publishing = runner.new_job(PUBLISH, done.owner_party, done.owner_account)
    publishing.status = "running"
    shown = dev.get(f"/jobs/{publishing.id}").text
    assert "Writing and publishing the report" in shown and REFRESH in shown


def test_a_failed_job_shows_its_error_escaped(app: FastAPI) -> None:
    dev, done, _ = _scanned(app)
    job = app.state.jobs.new_job(SCAN, done.owner_party, done.owner_account)
    job.status, job.error = "failed", f"the corpus {EVIL} is broken"
    page = dev.get(f"/jobs/{job.id}")
    assert page.status_code == 200 and REFRESH not in page.text
    assert f"It failed: the corpus {ESCAPED} is broken" in page.text and EVIL not in page.text


def test_only_the_submitting_account_sees_its_jobs(app: FastAPI) -> None:
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
    api_job = app.state.jobs.new_job("scan", job.owner_party, job.owner_account)
    assert dev.get(f"/jobs/{api_job.id}").status_code == 403  # the API's jobs are the API's


def test_bad_uploads_are_refused_before_any_job_exists(app: FastAPI) -> None:
    dev = Visitor(app)
    dev.signup("dev@example.org", "developer", "Devco")
    twice = dev.post("/scans", "/scans", {"use": "ai_training"}, files=_files("a", "a"))
    assert twice.status_code == 400 and "same name" in twice.text
    unknown = dev.post("/scans", "/scans", {"use": "mining"}, files=_files("a"))
    assert unknown.status_code == 400 and "unknown use" in unknown.text
    assert app.state.jobs.list() == []
