"""Fixtures for the live-service tests: a running consentry server per test.

The helpers they use (``Live``, ``serve``, ``settings``, ``PASSWORD``) are in
``service_live``; test modules import them from there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from service_live import Live, serve, settings

from consentry.actions import accounts
from consentry.actions.workspace import init
from consentry.service.app import create_app


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id still, with test-sized parameters: the real ones take ~0.2 s a hash."""
    monkeypatch.setattr(
        accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )


@pytest.fixture
def live(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Live]:
    """A live service on a fresh registry."""
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "log.key"))
    init(database_url).close()
    app = create_app(database_url, settings=settings(tmp_path))
    for url in serve(app):
        yield Live(url, app.state.ws, app)
