"""The portal's pages over HTTP against the real app, on SQLite and PostgreSQL.

Escaping, CSRF (missing and replayed), expired sessions, who may see and
change what, registering works (upload and fingerprints only), consent in
plain words, bulk import, a developer's scan with its plot, and the public
log page. The browser scenario is in tests/browser/.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from portal_client import PASSWORD, Visitor, token
from portal_world import finish

from consentry.actions import accounts, consent, log, works
from consentry.actions.fingerprints import fingerprint_file
from consentry.actions.workspace import init
from consentry.domain import ConsentState, Use
from consentry.service.app import create_app
from consentry.service.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "src" / "consentry" / "samples" / "texts"
EVIL = '<script>alert("x")</script>'


def _app(database_url: str, data_dir: Path, **changes: object) -> FastAPI:
    init(database_url).close()
    settings = ServiceSettings(
        secure_cookies=False, login_rate_per_minute=0, data_dir=data_dir, **changes
    )
    return create_app(database_url, settings=settings)


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, at its cheapest settings: the portal is under test here, not the hash."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    application = _app(database_url, tmp_path / "service")
    yield application
    application.state.ws.close()


def _register(visitor: Visitor, title: str, text: Path) -> str:
    response = visitor.post(
        "/works/new",
        "/works/new",
        {"title": title, "kind": "", "role": "author"},
        files={"file": (text.name, text.read_bytes(), "text/plain")},
    )
    assert response.status_code == 303, response.text
    found = re.match(r"^/works/([^/?]+)\?note=registered$", response.headers["location"])
    assert found, response.headers["location"]
    return found.group(1)


def test_a_creator_signs_up_registers_a_work_and_withholds_consent(app: FastAPI) -> None:
    ada = Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada Quill")
    work_id = _register(ada, "The Book of Ruth", TEXTS / "ruth.txt")
    page = ada.get(f"/works/{work_id}")
    assert "The work is registered" in ada.get(f"/works/{work_id}?note=registered").text
    assert "Ask first (no answer given yet)" in page.text
    saved = ada.post(
        f"/works/{work_id}", f"/works/{work_id}/consent", {"use_ai_training": "withheld"}
    )
    assert saved.status_code == 303
    ws = app.state.ws
    report = consent.consent_report(ws, work_id, use=Use.AI_TRAINING)
    assert [s.state for s in report.decision.parties] == [ConsentState.WITHHELD]
    shown = ada.get(f"/works/{work_id}").text
    assert "No — never (because of" in shown  # genai_training, below it, is withheld too
    listing = ada.get("/works").text
    assert "The Book of Ruth" in listing and "No — never" in listing


def test_html_in_names_and_titles_is_escaped_everywhere(app: FastAPI) -> None:
    ada = Visitor(app)
    ada.signup("ada@example.org", "creator", EVIL)
    work_id = _register(ada, EVIL, TEXTS / "ruth.txt")
    for path in (f"/works/{work_id}", "/works", "/log"):
        html = ada.get(path).text
        assert "<script>" not in html, path
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in ada.get(f"/works/{work_id}").text


def test_a_form_without_a_csrf_token_or_with_a_replayed_one_is_refused(app: FastAPI) -> None:
    ada = Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    work_id = _register(ada, "Ruth", TEXTS / "ruth.txt")
    path = f"/works/{work_id}/consent"
    missing = ada.client.post(path, data={"use_ai_training": "withheld"})
    assert missing.status_code == 403
    used = token(ada.get(f"/works/{work_id}").text)
    first = ada.client.post(path, data={"csrf_token": used, "use_ai_training": "granted"})
    assert first.status_code == 303
    before = len(log.entries(app.state.ws))
    replay = ada.client.post(path, data={"csrf_token": used, "use_ai_training": "withheld"})
    assert replay.status_code == 403
    assert "already submitted" in replay.text
    assert len(log.entries(app.state.ws)) == before  # nothing recorded
    state = consent.consent_report(app.state.ws, work_id).decision.parties[0].state
    assert state is ConsentState.GRANTED


def test_another_browsers_token_is_refused(app: FastAPI) -> None:
    ada, eve = Visitor(app), Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    work_id = _register(ada, "Ruth", TEXTS / "ruth.txt")
    stolen = token(eve.get("/login").text)
    refused = ada.client.post(f"/works/{work_id}/withdraw", data={"csrf_token": stolen})
    assert refused.status_code == 403


def test_an_expired_session_is_sent_to_sign_in(database_url: str, tmp_path: Path) -> None:
    app = _app(database_url, tmp_path / "service", session_ttl=timedelta(seconds=1))
    try:
        ada = Visitor(app)
        ada.signup("ada@example.org", "creator", "Ada")
        assert ada.get("/works").status_code == 200
        kept = ada.client.cookies["consentry_session"]
        time.sleep(1.2)
        ada.client.cookies.set("consentry_session", kept)  # a browser that kept it anyway
        expired = ada.get("/works")
        assert expired.status_code == 303
        assert expired.headers["location"] == "/login?next=/works"
        cleared = " ".join(expired.headers.get_list("set-cookie"))
        assert 'consentry_session=""' in cleared and "Max-Age=0" in cleared
        back = ada.login("ada@example.org")
        assert back.status_code == 303
    finally:
        app.state.ws.close()


def test_signing_in_goes_back_only_to_this_site(app: FastAPI) -> None:
    Visitor(app).signup("ada@example.org", "creator", "Ada")
    ada = Visitor(app)
    page = ada.get("/login?next=//evil.example/")
    evil = ada.client.post(
        "/login?next=//evil.example/",
        data={"csrf_token": token(page.text), "email": "ada@example.org", "password": PASSWORD},
    )
    assert evil.status_code == 303 and evil.headers["location"].startswith("/?")
    wrong = ada.login("ada@example.org", "not the password at all")
    assert wrong.status_code == 401 and "wrong email or password" in wrong.text


def test_pages_for_signed_in_users_send_strangers_to_sign_in(app: FastAPI) -> None:
    stranger = Visitor(app)
    for path in ("/works", "/works/new", "/scans", "/models", "/import"):
        response = stranger.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert stranger.get("/").status_code == 200
    assert stranger.get("/verify").status_code == 200


def test_only_a_works_own_parties_see_or_change_it(app: FastAPI) -> None:
    ada, bea, dev = Visitor(app), Visitor(app), Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    bea.signup("bea@example.org", "creator", "Bea")
    dev.signup("dev@example.org", "developer", "Devco")
    work_id = _register(ada, "Ruth", TEXTS / "ruth.txt")
    before = len(log.entries(app.state.ws))
    for visitor in (bea, dev):
        assert visitor.get(f"/works/{work_id}").status_code == 403
        refused = visitor.post("/", f"/works/{work_id}/consent", {"use_ai_training": "granted"})
        assert refused.status_code == 403
        assert visitor.post("/", f"/works/{work_id}/withdraw", {}).status_code == 403
    assert dev.get("/works").status_code == 403
    assert ada.get("/scans").status_code == 403
    assert len(log.entries(app.state.ws)) == before


def test_withdrawing_says_no_to_every_use(app: FastAPI) -> None:
    ada = Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    work_id = _register(ada, "Ruth", TEXTS / "ruth.txt")
    assert ada.post(f"/works/{work_id}", f"/works/{work_id}/withdraw", {}).status_code == 303
    for use in Use:
        report = consent.consent_report(app.state.ws, work_id, use=use)
        assert report.decision.parties[0].state is ConsentState.WITHHELD, use


def test_a_work_registered_by_its_fingerprints_only(app: FastAPI) -> None:
    ada = Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    prints = fingerprint_file(TEXTS / "jonah.txt")
    pasted = json.dumps([{"path": "jonah.txt", "kind": "text", "fingerprints": prints}])
    response = ada.post(
        "/works/new", "/works/new", {"title": "Jonah", "kind": "text", "fingerprints": pasted}
    )
    assert response.status_code == 303, response.text
    work_id = response.headers["location"].split("/")[2].split("?")[0]
    stored = works.get_work(app.state.ws, work_id)
    assert stored.fingerprints.sha256 == prints["sha256"]
    bad = ada.post(
        "/works/new",
        "/works/new",
        {"title": "Broken", "kind": "text", "fingerprints": '{"sha256": "zz"}'},
    )
    assert bad.status_code == 400
    assert "is not 64 hexadecimal digits" in bad.text
    assert [w.title for w in works.list_works(app.state.ws)] == ["Jonah"]
    not_json = ada.post(
        "/works/new", "/works/new", {"title": "X", "kind": "text", "fingerprints": "{"}
    )
    assert not_json.status_code == 400 and "not JSON" in not_json.text


def test_a_developer_scans_files_and_sees_included_and_excluded_by_reason(
    app: FastAPI,
) -> None:
    ada, dev = Visitor(app), Visitor(app)
    ada.signup("ada@example.org", "creator", "Ada")
    work_id = _register(ada, "Ruth", TEXTS / "ruth.txt")
    dev.signup("dev@example.org", "developer", "Devco")
    files = [
        ("files", ("../../ruth-copy.txt", (TEXTS / "ruth.txt").read_bytes(), "text/plain")),
        ("files", ("recipe.txt", b"Two eggs, flour, milk: whisk and fry.", "text/plain")),
    ]
    response = dev.post("/scans", "/scans", {"use": "ai_training"}, files=files)
    assert response.status_code == 303, response.text
    result_path = finish(dev, response)
    result = dev.get(result_path)
    assert result.status_code == 200
    html = result.text
    assert "<svg" in html and 'role="img"' in html
    assert "exclude: unlicensed" in html and "exclude: unknown" in html
    assert 'data-item="ruth-copy.txt"' in html  # the path in the file name was dropped
    assert not list((Path(app.state.settings.data_dir).parent).glob("ruth-copy.txt"))
    assert "ds_" in dev.get("/scans").text
    other = Visitor(app)
    other.signup("other@example.org", "developer", "Other")
    assert other.get(result_path).status_code == 403
    assert other.get(response.headers["location"]).status_code == 403  # its job page too
    shown = ada.get(f"/works/{work_id}").text
    assert "Which models used this work" in shown and "ai_training" in shown


def test_a_rightsholder_imports_a_catalogue_and_sees_assurance_gaps(
    app: FastAPI, tmp_path: Path
) -> None:
    press = Visitor(app)
    press.signup("press@example.org", "rightsholder", "Lantern Press")
    row = {
        "title": "Ruth",
        "kind": "text",
        "file": "ruth.txt",
        "creators": [{"name": "Cleo Ink"}],
        "rightsholders": [{"name": "Lantern Press"}],
    }
    bad = press.post(
        "/import",
        "/import",
        {},
        files=[("listing", ("cat.jsonl", b'{"title": "x"}\n', "application/json"))],
    )
    assert bad.status_code == 400 and "line 1" in bad.text
    assert works.list_works(app.state.ws) == []
    good = press.post(
        "/import",
        "/import",
        {},
        files=[
            ("listing", ("cat.jsonl", (json.dumps(row) + "\n").encode(), "application/json")),
            ("files", ("ruth.txt", (TEXTS / "ruth.txt").read_bytes(), "text/plain")),
        ],
    )
    assert good.status_code == 303, good.text
    catalogue = press.get("/works").text
    assert "Ruth" in catalogue and "Cleo Ink" in catalogue  # Cleo has not said yes


def test_the_log_page_shows_the_signed_checkpoint_and_the_verifier_key(app: FastAPI) -> None:
    Visitor(app).signup("ada@example.org", "creator", "Ada")
    html = Visitor(app).get("/log").text
    key = log.public_key(app.state.ws)
    assert key in html
    assert log.checkpoint(app.state.ws).splitlines()[0] in html


def test_the_stylesheet_is_served_and_no_other_file_is(app: FastAPI) -> None:
    visitor = Visitor(app)
    css = visitor.get("/static/portal.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert visitor.get("/static/..%2F__init__.py").status_code == 404
    assert visitor.get("/static/render.py").status_code == 404
