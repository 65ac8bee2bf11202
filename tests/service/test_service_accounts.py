"""Accounts over real HTTP: sign-up, sessions, CSRF, API tokens, rate limits, export, deletion."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from service_live import PASSWORD, Live, serve, settings

from consentry.actions.accounts import signup
from consentry.actions.workspace import init
from consentry.service.app import create_app
from consentry.service.auth import SESSION_COOKIE


def test_sign_up_sign_in_me_and_sign_out(live: Live) -> None:
    client = live.client()
    made = client.post(
        "/api/v1/accounts",
        json={"email": "Ada@Example.org", "password": PASSWORD, "kind": "creator", "name": "Ada"},
    )
    assert made.status_code == 201, made.text
    assert made.json()["email"] == "ada@example.org"
    assert made.json()["party_id"] in made.json()["acts_for"]
    assert client.get("/api/v1/me").status_code == 401
    signed = client.post("/api/v1/session", json={"email": "ada@example.org", "password": PASSWORD})
    assert signed.status_code == 204
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and SESSION_COOKIE in cookie
    assert client.get("/api/v1/me").json()["kind"] == "creator"
    assert client.delete("/api/v1/session").status_code == 204
    assert client.get("/api/v1/me").status_code == 401


def test_secure_cookie_by_default(database_url: str, tmp_path: Path) -> None:
    init(database_url).close()
    app = create_app(database_url, settings=settings(tmp_path, secure_cookies=True))
    signup(app.state.ws, "a@example.org", PASSWORD, "creator", "A")
    for url in serve(app):
        import httpx

        response = httpx.post(
            f"{url}/api/v1/session", json={"email": "a@example.org", "password": PASSWORD}
        )
        assert response.status_code == 204
        assert "Secure" in response.headers["set-cookie"]


def test_wrong_password_unknown_email_and_administrator_sign_up_refused(live: Live) -> None:
    signup(live.ws, "b@example.org", PASSWORD, "creator", "B")
    client = live.client()
    for email, password in (("b@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)):
        response = client.post("/api/v1/session", json={"email": email, "password": password})
        assert response.status_code == 401
        assert response.json()["error"] == "wrong email or password"
    admin = client.post(
        "/api/v1/accounts",
        json={"email": "x@example.org", "password": PASSWORD, "kind": "administrator", "name": "X"},
    )
    assert admin.status_code == 422
    short = client.post(
        "/api/v1/accounts",
        json={"email": "y@example.org", "password": "short", "kind": "creator", "name": "Y"},
    )
    assert short.status_code == 422


def test_login_is_rate_limited(database_url: str, tmp_path: Path) -> None:
    init(database_url).close()
    app = create_app(database_url, settings=settings(tmp_path, login_rate_per_minute=3))
    for url in serve(app):
        import httpx

        codes = [
            httpx.post(
                f"{url}/api/v1/session", json={"email": "c@example.org", "password": "nope nope"}
            ).status_code
            for _ in range(5)
        ]
        assert codes[:3] == [401, 401, 401]
        assert codes[3:] == [429, 429]


def test_api_rate_limit_is_configurable_and_lookup_has_its_own(
    database_url: str, tmp_path: Path
) -> None:
    init(database_url).close()
    config = settings(tmp_path, api_rate_per_minute=2, lookup_rate_per_minute=5)
    app = create_app(database_url, settings=config)
    for url in serve(app):
        import httpx

        api = [httpx.get(f"{url}/api/v1/me").status_code for _ in range(3)]
        assert api == [401, 401, 429]
        lookup = [
            httpx.get(f"{url}/api/v1/lookup", params={"developer": "x", "sha256": "0" * 64})
            for _ in range(6)
        ]
        assert [r.status_code for r in lookup[:5]] == [404] * 5
        assert lookup[5].status_code == 429 and "retry-after" in lookup[5].headers


def test_a_write_with_a_session_needs_a_one_use_csrf_token(live: Live) -> None:
    _, client = live.account("creator", "Cleo")
    body = {"name": "laptop", "scopes": ["read"]}
    missing = client.post("/api/v1/me/tokens", json=body)
    assert missing.status_code == 403 and "CSRF" in missing.json()["error"]
    token = live.csrf(client)
    assert client.post("/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": token}).is_success
    replay = client.post("/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": token})
    assert replay.status_code == 403 and "already" in replay.json()["error"]
    _, other = live.account("creator", "Olga")
    stolen = live.csrf(other)
    foreign = client.post("/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": stolen})
    assert foreign.status_code == 403
    forged = client.post(
        "/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": f"{'0' * 32}.9999999999.abc"}
    )
    assert forged.status_code == 403
    assert len(client.get("/api/v1/me/tokens").json()) == 1  # only the one good write


def test_an_expired_session_is_refused(live: Live) -> None:
    _account, client = live.account("creator", "Eve")
    from sqlalchemy import update

    from consentry.store.tables_accounts import account_sessions

    with live.ws.engine.begin() as conn:
        conn.execute(
            update(account_sessions).values(expires_at=live.ws.now() - timedelta(seconds=1))
        )
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and "expired" in response.json()["error"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_api_tokens_are_scoped_revocable_shown_once_and_stored_hashed(live: Live) -> None:
    account, client = live.account("developer", "Dev Co")
    reader = live.token_client(client, ["read"])
    assert reader.get("/api/v1/me").json()["id"] == account.id
    denied = reader.post("/api/v1/models", json={"name": "m", "version": "1"})
    assert denied.status_code == 403 and "write" in denied.json()["error"]
    writer = live.token_client(client, ["read", "write"])
    assert writer.post("/api/v1/models", json={"name": "m", "version": "1"}).status_code == 201
    listed = client.get("/api/v1/me/tokens").json()
    assert len(listed) == 2 and all("secret" not in t for t in listed)
    secret = writer.headers["authorization"].removeprefix("Bearer ")
    with live.ws.engine.connect() as conn:
        from sqlalchemy import select

        from consentry.store.tables_accounts import api_tokens

        stored = [r.token_hash for r in conn.execute(select(api_tokens))]
    assert secret not in stored and all(len(h) == 64 for h in stored)
    revoked = client.delete(
        f"/api/v1/me/tokens/{listed[1]['id']}", headers={"X-CSRF-Token": live.csrf(client)}
    )
    assert revoked.json()["revoked_at"] is not None
    assert writer.get("/api/v1/me").status_code == 401
    assert (
        live.client(headers={"Authorization": "Bearer cst_nonsense"}).get("/api/v1/me").status_code
        == 401
    )
    assert live.client(headers={"Authorization": "Basic abc"}).get("/api/v1/me").status_code == 401


def test_personal_data_is_exportable_and_deletable(live: Live) -> None:
    account, client = live.account("creator", "Pat")
    exported = client.get("/api/v1/me/export").json()
    assert exported["account"]["email"] == account.email
    assert exported["party"] == {"id": account.party_id, "name": "Pat"}
    assert "password_hash" not in str(exported)
    wrong = client.post(
        "/api/v1/me/delete",
        json={"password": "not it at all"},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert wrong.status_code == 403
    gone = client.post(
        "/api/v1/me/delete",
        json={"password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert gone.status_code == 204
    assert client.get("/api/v1/me").status_code == 401
    again = live.client().post(
        "/api/v1/session", json={"email": account.email, "password": PASSWORD}
    )
    assert again.status_code == 401


def test_organisation_members_act_for_the_organisation(live: Live) -> None:
    owner, client = live.account("rightsholder", "Press Ltd")
    made = client.post(
        "/api/v1/me/members",
        json={"email": "member@example.org", "password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert made.status_code == 201, made.text
    assert made.json()["party_id"] == owner.party_id and made.json()["org_role"] == "member"
    member = live.client()
    member.post("/api/v1/session", json={"email": "member@example.org", "password": PASSWORD})
    refused = member.post(
        "/api/v1/me/members",
        json={"email": "m2@example.org", "password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(member)},
    )
    assert refused.status_code == 403


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "Ann & <b>Co</b>"])
def test_html_in_names_is_kept_as_text_and_served_as_json(live: Live, name: str) -> None:
    _account, client = live.account("creator", "Plain")
    made = live.client().post(
        "/api/v1/accounts",
        json={"email": "h@example.org", "password": PASSWORD, "kind": "creator", "name": name},
    )
    assert made.status_code == 201
    party = client.get(f"/api/v1/parties/{made.json()['party_id']}")
    assert party.json()["name"] == name
    assert party.headers["content-type"] == "application/json"
    assert party.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in party.headers["content-security-policy"]


def test_passwords_are_stored_as_argon2id_hashes(live: Live) -> None:
    _account, _ = live.account("creator", "Hash")
    from sqlalchemy import select

    from consentry.store.tables_accounts import accounts

    with live.ws.engine.connect() as conn:
        stored = conn.execute(select(accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_accounts_jobs_are_exported_and_deleted_with_it(live: Live, tmp_path: Path) -> None:
    from consentry.actions.jobs import finish_job, list_jobs, start_job, submit_job, worker_id

    account, client = live.account("developer", "Lab")
    job = submit_job(
        live.ws,
        job_id="job-of-lab",
        kind="scan",
        owner_account=account.id,
        owner_party=account.party_id,
        out_dir=tmp_path / "scan",
        worker=worker_id(),
    )
    exported = client.get("/api/v1/me/export").json()
    assert [(j["id"], j["status"]) for j in exported["jobs"]] == [(job.id, "queued")]
    refused = client.post(
        "/api/v1/me/delete",
        json={"password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert refused.status_code == 409 and "still queued or running" in refused.text
    assert client.get("/api/v1/me").status_code == 200
    assert start_job(live.ws, job.id)
    finish_job(live.ws, job.id, {"items": 0})
    gone = client.post(
        "/api/v1/me/delete",
        json={"password": PASSWORD},
        headers={"X-CSRF-Token": live.csrf(client)},
    )
    assert gone.status_code == 204
    assert list_jobs(live.ws, account, ("scan",)) == []
