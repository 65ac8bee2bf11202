"""A signed-in visitor of the portal, over HTTP against the real app (no browser)."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

PASSWORD = "a long enough password"
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(html: str) -> str:
    """The first CSRF token on a page (every form's token is good for any one post)."""
    found = _TOKEN.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


class Visitor:
    """One browser: its own cookies, fetching pages and posting their forms."""

    def __init__(self, app: FastAPI) -> None:
        self.client = TestClient(app, follow_redirects=False)

    def get(self, path: str) -> httpx.Response:
        return self.client.get(path)

    def post(
        self, form_page: str, path: str, data: dict[str, Any], files: Any = None
    ) -> httpx.Response:
        """Open ``form_page``, take its CSRF token, post ``data`` (and ``files``) to ``path``."""
        page = self.client.get(form_page)
        assert page.status_code == 200, page.text
        return self.client.post(path, data={"csrf_token": token(page.text), **data}, files=files)

    def signup(self, email: str, kind: str, name: str) -> httpx.Response:
        response = self.post(
            "/signup",
            "/signup",
            {"name": name, "email": email, "password": PASSWORD, "kind": kind},
        )
        assert response.status_code == 303, response.text
        return response

    def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.post("/login", "/login", {"email": email, "password": password})
