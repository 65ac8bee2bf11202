"""Fixtures for the portal page tests (``test_portal_*.py``): the app and cheap hashing.

Nothing here is autouse: a test gets the real app on a fresh registry by
asking for ``app``, and asking for it also makes password hashing cheap.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from portal_world import make_app

from consentry.actions import accounts


@pytest.fixture
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2, at its cheapest settings: the pages are under test here, not the hash."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


@pytest.fixture
def app(cheap_hashing: None, database_url: str, tmp_path: Path) -> Iterator[FastAPI]:
    """The real app on a fresh registry (``portal_world.make_app``); its job runner is
    stopped and its workspace closed when the test ends."""
    application = make_app(database_url, tmp_path / "service")
    yield application
    application.state.jobs.shutdown()
    application.state.ws.close()
