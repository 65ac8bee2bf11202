"""Browser tests: real headless Chromium (Debian's) driven by Playwright, against uvicorn.

They skip, saying why, where Chromium or Playwright is missing, except under
``CI=true``, where that is a failure. Screenshots go to ``$CONSENTRY_ARTEFACTS``
(default: the test's temporary folder).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from consentry.actions import accounts
from consentry.actions.workspace import init
from consentry.service.app import create_app
from consentry.service.settings import ServiceSettings
from live_server import serve

CHROMIUM = os.environ.get("CONSENTRY_CHROMIUM", "/usr/bin/chromium")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives a real headless Chromium")


def _unavailable(message: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must run the browser tests)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium from the system (never a downloaded one)."""
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        _unavailable(f"no Chromium at {CHROMIUM}: apt-get install -y chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed: pip install playwright")
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()


@pytest.fixture
def artefacts(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Where this test's screenshots go."""
    base = os.environ.get("CONSENTRY_ARTEFACTS")
    folder = Path(base) / request.node.name if base else tmp_path / "artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def server(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, Any]]:
    """The real app under uvicorn on a free loopback port; yields its URL and the app."""
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))
    init(database_url).close()
    settings = ServiceSettings(
        secure_cookies=False, login_rate_per_minute=0, data_dir=tmp_path / "service"
    )
    app = create_app(database_url, settings=settings)
    for url in serve(app):
        yield url, app
