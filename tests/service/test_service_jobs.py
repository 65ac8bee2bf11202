"""Jobs in the API: kept in the registry, seen only by their submitter (or administrators).

The matrix: D1 submits a scan; D1's colleague (a member of the same
organisation), another developer D2, a creator, an administrator and an
anonymous caller each try every read and the one write (resume). Reads are
D1's and administrators'; resuming is D1's alone; everyone else gets 401 or
404 and nothing changes. Then an interrupted scan is resumed over the API,
and a report is published as a job, seen in ``/jobs`` by its submitter only.
"""

from __future__ import annotations

import json
import os
import socket
from typing import Any

import httpx
from service_live import PASSWORD, Live
from sqlalchemy import select

from consentry.actions.accounts import signup
from consentry.actions.jobs import get_job, interrupt_orphans, start_job, submit_job
from consentry.service.jobs import API_SCAN, hint_for
from consentry.store.tables_jobs import jobs

CORPUS = "".join(
    json.dumps({"text": f"line {n} of an unregistered corpus"}) + "\n" for n in range(3)
)


def _clients(live: Live) -> dict[str, httpx.Client]:
    clients: dict[str, httpx.Client] = {}
    for who, kind in (("D1", "developer"), ("D2", "developer"), ("A", "creator")):
        clients[who] = live.account(kind, f"Account {who}")[1]
    added = clients["D1"].post(
        "/api/v1/me/members",
        json={"email": "colleague@example.org", "password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(clients["D1"])},
    )
    assert added.status_code == 201, added.text
    signup(live.ws, "admin@example.org", PASSWORD, "administrator", "")
    for who, email in (("colleague", "colleague@example.org"), ("admin", "admin@example.org")):
        clients[who] = live.client()
        signed = clients[who].post("/api/v1/session", json={"email": email, "password": PASSWORD})
        assert signed.status_code == 204, signed.text
    clients["anonymous"] = live.client()
    return clients


def _submit(live: Live, client: httpx.Client) -> dict[str, Any]:
    submitted = client.post(
        "/api/v1/scans",
        files={"corpus": ("corpus.jsonl", CORPUS.encode())},
        data={"use": "ai_training"},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert submitted.status_code == 202, submitted.text
    view: dict[str, Any] = submitted.json()
    return view


def _rows(live: Live) -> list[Any]:
    with live.ws.engine.connect() as conn:
        return sorted(conn.execute(select(jobs)).all())


def test_a_scan_job_is_seen_only_by_its_submitter_and_administrators(live: Live) -> None:
    clients = _clients(live)
    job_id = _submit(live, clients["D1"])["id"]
    done = live.app.state.jobs.wait(job_id)
    assert done.status == "done", done.error
    reads = {"view": f"/api/v1/scans/{job_id}", "manifest": f"/api/v1/scans/{job_id}/manifest"}
    for who, client in clients.items():
        listed = client.get("/api/v1/scans")
        for name, path in reads.items():
            response = client.get(path)
            if who in {"D1", "admin"}:
                assert response.status_code == 200, f"{name} as {who}: {response.text}"
            else:
                assert response.status_code in (401, 404), f"{name} as {who}"
        if who in {"D1", "admin"}:
            assert [j["id"] for j in listed.json()] == [job_id]
        elif who == "anonymous":
            assert listed.status_code == 401
        else:
            assert listed.json() == [], who
    view = clients["D1"].get(f"/api/v1/scans/{job_id}").json()
    assert (view["status"], view["shards_done"], view["items_done"]) == ("done", 1, 3)
    before = _rows(live)
    for who, client in clients.items():  # resuming is a write: nobody else, and not a done job
        headers = {"X-CSRF-Token": live.csrf(client)}
        response = client.post(f"/api/v1/scans/{job_id}/resume", headers=headers)
        expected = {409} if who == "D1" else {401, 403, 404}
        assert response.status_code in expected, f"resume as {who}: {response.status_code}"
        assert _rows(live) == before


def test_an_interrupted_scan_says_how_to_go_on_and_resumes(live: Live) -> None:
    clients = _clients(live)
    d1 = clients["D1"]
    runner = live.app.state.jobs
    folder = runner.folder(runner.new_id())
    (folder / "in").mkdir(parents=True)
    (folder / "in" / "corpus.jsonl").write_text(CORPUS, encoding="utf-8")
    me = d1.get("/api/v1/me").json()
    params = {"input": str(folder / "in" / "corpus.jsonl"), "use": "ai_training",
              "regime": "consent"}  # fmt: skip
    submit_job(
        live.ws,
        job_id=folder.name,
        kind=API_SCAN,
        owner_account=me["id"],
        owner_party=me["party_id"],
        out_dir=folder / "out",
        worker=f"{socket.gethostname()}:{os.getpid()}:a-process-now-gone",
        params=params,
    )
    start_job(live.ws, folder.name)
    assert [j.id for j in interrupt_orphans(live.ws, runner.worker, hint_for)] == [folder.name]
    view = d1.get(f"/api/v1/scans/{folder.name}").json()
    assert view["status"] == "interrupted" and "stopped before it finished" in view["error"]
    assert view["hint"] == (
        f"resume it with POST /api/v1/scans/{folder.name}/resume: the shards it finished are kept"
    )
    admin = clients["admin"].post(
        f"/api/v1/scans/{folder.name}/resume",
        headers={"X-CSRF-Token": live.csrf(clients["admin"])},
    )
    assert admin.status_code == 404 and get_job(live.ws, folder.name).status == "interrupted"
    resumed = d1.post(
        f"/api/v1/scans/{folder.name}/resume", headers={"X-CSRF-Token": live.csrf(d1)}
    )
    assert resumed.status_code == 202, resumed.text
    done = runner.wait(folder.name)
    assert done.status == "done" and done.items_done == 3 and done.worker == runner.worker
    assert d1.get(f"/api/v1/scans/{folder.name}").json()["summary"]["items"] == 3
    assert not (folder / "in").exists()  # the upload is dropped once the scan ended


def test_a_report_is_published_as_a_job_seen_in_the_jobs_api(live: Live) -> None:
    clients = _clients(live)
    d1 = clients["D1"]
    model = d1.post(
        "/api/v1/models",
        json={"name": "m", "version": "1"},
        headers={"X-CSRF-Token": live.csrf(d1)},
    ).json()["id"]
    before = _rows(live)
    for who in ("D2", "A", "admin", "anonymous"):  # nobody outside D1's organisation publishes
        client = clients[who]
        response = client.post(
            f"/api/v1/reports/{model}/publish", headers={"X-CSRF-Token": live.csrf(client)}
        )
        assert response.status_code in (401, 403, 404), f"publish as {who}: {response.text}"
        assert _rows(live) == before
    colleague = clients["colleague"]  # D1's organisation's model: its member may publish it
    theirs = colleague.post(
        f"/api/v1/reports/{model}/publish", headers={"X-CSRF-Token": live.csrf(colleague)}
    ).json()["id"]
    failed = live.app.state.jobs.wait(theirs)  # nothing trained yet: the job fails, saying so
    assert failed.status == "failed" and failed.error == "no training is recorded for m 1"
    scan_id = _submit(live, d1)["id"]
    live.app.state.jobs.wait(scan_id)
    dataset = d1.get("/api/v1/datasets").json()[0]["id"]
    trained = d1.post(
        "/api/v1/models/m/1/trainings",
        json={"dataset_version": dataset, "used": "cleared"},
        headers={"X-CSRF-Token": live.csrf(d1)},
    )
    assert trained.status_code == 201, trained.text
    assert d1.get(f"/api/v1/jobs/{theirs}").status_code == 404  # the colleague's job, not D1's
    assert [j["id"] for j in colleague.get("/api/v1/jobs").json()] == [theirs]
    submitted = d1.post(f"/api/v1/reports/{model}/publish", headers={"X-CSRF-Token": live.csrf(d1)})
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    assert submitted.json()["kind"] == "publish"
    done = live.app.state.jobs.wait(job_id)
    assert done.status == "done", done.error
    view = d1.get(f"/api/v1/jobs/{job_id}").json()
    assert view["status"] == "done" and view["summary"] == {"model_version_id": model}
    assert live.client().get(f"/api/v1/reports/{model}").status_code == 200  # public now
    assert {j["id"] for j in d1.get("/api/v1/jobs").json()} == {job_id, scan_id}
    assert [j["id"] for j in d1.get("/api/v1/scans").json()] == [scan_id]  # scans only
    seen = {j["id"] for j in clients["admin"].get("/api/v1/jobs").json()}
    assert seen == {job_id, scan_id, theirs}
    assert clients["admin"].get(f"/api/v1/jobs/{job_id}").status_code == 200
    for who in ("D2", "colleague", "A"):
        assert job_id not in {j["id"] for j in clients[who].get("/api/v1/jobs").json()}
        assert clients[who].get(f"/api/v1/jobs/{job_id}").status_code == 404
    assert clients["anonymous"].get(f"/api/v1/jobs/{job_id}").status_code == 401
