"""A small portal world for the page tests: an app, a creator with a work, a developer's scan."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from portal_client import Visitor

from consentry.actions.workspace import init
from consentry.service.app import create_app
from consentry.service.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "src" / "consentry" / "samples" / "texts"
EVIL = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"


def make_app(database_url: str, data_dir: Path) -> FastAPI:
    """The real app on a fresh registry, with plain-HTTP cookies and no login rate limit."""
    init(database_url).close()
    settings = ServiceSettings(secure_cookies=False, login_rate_per_minute=0, data_dir=data_dir)
    return create_app(database_url, settings=settings)


def register(visitor: Visitor, title: str, text: Path) -> str:
    """Register ``text`` as a work through the portal; its id."""
    response = visitor.post(
        "/works/new",
        "/works/new",
        {"title": title, "kind": "", "role": "author"},
        files={"file": (text.name, text.read_bytes(), "text/plain")},
    )
    assert response.status_code == 303, response.text
    found = re.match(r"^/works/([^/?]+)\?", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def scan(visitor: Visitor, texts: list[Path]) -> str:
    """Scan copies of ``texts`` (plus a file nobody registered) for AI training; the dataset id."""
    files = [("files", (f"copy-{t.name}", t.read_bytes(), "text/plain")) for t in texts]
    files.append(("files", ("recipe.txt", b"Two eggs, flour, milk: whisk and fry.", "text/plain")))
    response = visitor.post("/scans", "/scans", {"use": "ai_training"}, files=files)
    assert response.status_code == 303, response.text
    return finish(visitor, response).split("/scans/")[1]


def finish(visitor: Visitor, submitted: httpx.Response) -> str:
    """Wait for the job a form submitted (its progress page); the path its done page links to."""
    location = submitted.headers["location"]
    assert location.startswith("/jobs/"), location
    job_id = location.split("/jobs/")[1].split("?")[0]
    job = visitor.client.app.state.jobs.wait(job_id, timeout=60)  # type: ignore[attr-defined]
    assert job.status == "done", job.error
    done = visitor.get(location)
    assert done.status_code == 200 and 'http-equiv="refresh"' not in done.text
    found = re.search(r'<a href="(/(?:scans|reports)/[^"?]+)\?note=', done.text)
    assert found, done.text
    return found.group(1)


def ask(visitor: Visitor, dataset_id: str, **fields: str) -> str:
    """Send a request for the works the scan excluded, from its page; the request id."""
    data = {
        "uses": "ai_training",
        "purpose": "train a summariser",
        "models": "summ-1",
        "currency": "GBP",
        "fee_per_work": "150.00",
        "attribution": "credit every creator",
        **fields,
    }
    page = f"/scans/{dataset_id}"
    response = visitor.post(page, f"/scans/{dataset_id}/request", data)
    assert response.status_code == 303, response.text
    return response.headers["location"].split("/requests/")[1].split("?")[0]


@dataclass
class World:
    """A creator (Ada) with one work, a developer (Devco) whose scan excluded a copy of it."""

    app: FastAPI
    ada: Visitor
    dev: Visitor
    work_id: str
    dataset_id: str


def world(app: FastAPI, title: str = "The Book of Ruth") -> World:
    """Ada registers Ruth; Devco scans a copy of it (excluded: no licence)."""
    ada, dev = Visitor(app), Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada Quill")
    work_id = register(ada, title, TEXTS / "ruth.txt")
    dev.signup("dev@example.org", "developer", "Devco")
    return World(app, ada, dev, work_id, scan(dev, [TEXTS / "ruth.txt"]))
