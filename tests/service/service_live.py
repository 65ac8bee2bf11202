"""A live consentry service on a loopback port (real HTTP, real uvicorn): the helpers.

A module of its own (not ``conftest``) so that test modules import it by a
name no other test directory's conftest shadows.

The registry is the ``database_url`` fixture's (SQLite, or PostgreSQL with
``--db postgresql``). Cookies are not ``Secure`` here because the server
speaks plain HTTP on loopback; everything else is as in production.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from consentry.actions.accounts import Account, signup
from consentry.actions.workspace import Workspace
from consentry.service.settings import ServiceSettings
from live_server import serve as serve  # re-exported: the tests import it from here

PASSWORD = "correct horse battery"


@dataclass
class Live:
    """A running server, its workspace (for direct checks) and its base URL."""

    url: str
    ws: Workspace
    app: Any

    def client(self, **kwargs: Any) -> httpx.Client:
        """A fresh HTTP client (its own cookie jar) on the server."""
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)

    def account(self, kind: str, name: str) -> tuple[Account, httpx.Client]:
        """A new account of ``kind`` and a client signed in as it."""
        email = f"{name.lower().replace(' ', '.')}@example.org"
        account = signup(self.ws, email, PASSWORD, kind, name)
        client = self.client()
        response = client.post("/api/v1/session", json={"email": email, "password": PASSWORD})
        assert response.status_code == 204, response.text
        return account, client

    def token_client(self, client: httpx.Client, scopes: list[str]) -> httpx.Client:
        """A client that authenticates with a new API token of the signed-in account."""
        issued = client.post(
            "/api/v1/me/tokens",
            json={"name": "ci", "scopes": scopes},
            headers={"X-CSRF-Token": self.csrf(client)},
        )
        assert issued.status_code == 201, issued.text
        return self.client(headers={"Authorization": f"Bearer {issued.json()['secret']}"})

    def csrf(self, client: httpx.Client) -> str:
        """A CSRF token for the client's browser and session."""
        response = client.get("/api/v1/csrf")
        assert response.status_code == 200, response.text
        token: str = response.json()["csrf_token"]
        return token


def settings(tmp_path: Path, **overrides: Any) -> ServiceSettings:
    """Test settings: plain HTTP cookies, generous login limit, a fixed secret."""
    values: dict[str, Any] = {
        "secure_cookies": False,
        "secret_key": b"t" * 32,
        "login_rate_per_minute": 1000,
        "api_rate_per_minute": 100_000,
        "data_dir": tmp_path / "service",
    }
    values.update(overrides)
    return ServiceSettings(**values)
