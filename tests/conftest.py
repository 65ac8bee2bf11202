"""Test databases: a fresh SQLite file, or a fresh PostgreSQL schema, per test.

``--db postgresql`` (or ``CONSENTRY_TEST_DB=postgresql``) re-runs every test
that takes ``database_url`` on PostgreSQL. Each test gets its own schema,
dropped afterwards, so runs at the same time never collide. Where PostgreSQL
does not answer, those tests skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from consentry.store import Registry, make_engine, open_registry, upgrade

POSTGRES_URL = os.environ.get(
    "CONSENTRY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgresql"),
        default=os.environ.get("CONSENTRY_TEST_DB", "sqlite"),
        help="database for tests that touch one (default: sqlite)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that takes a database is marked ``db`` (so ``-m db`` re-runs them)."""
    for item in items:
        if "database_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@pytest.fixture(scope="session")
def postgres_server(request: pytest.FixtureRequest) -> Engine | None:
    """An engine on the PostgreSQL server, when the run asked for PostgreSQL."""
    if request.config.getoption("--db") != "postgresql":
        return None
    engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # any failure to connect means: no server here
        message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message} (CI must run the suite on PostgreSQL)", pytrace=False)
        pytest.skip(message)
    return engine


@pytest.fixture
def database_url(postgres_server: Engine | None, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database for this test only."""
    if postgres_server is None:
        yield f"sqlite:///{tmp_path / 'registry.db'}"
        return
    schema = f"t_{uuid.uuid4().hex}"
    with postgres_server.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with postgres_server.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on a fresh database at the newest schema."""
    eng = make_engine(database_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def registry(engine: Engine) -> Iterator[Registry]:
    """A registry in one transaction, committed when the test ends."""
    with open_registry(engine) as reg:
        yield reg


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` (or ``$CONSENTRY_SHARED_DIR``): public vectors and fixtures.

    Absent on a user's machine: the conformance tests skip and say why. Under
    ``CI=true`` they fail instead, so that CI never passes by skipping them.
    """
    given = os.environ.get("CONSENTRY_SHARED_DIR")
    path = Path(given) if given else Path(__file__).resolve().parents[1].parent / "shared"
    if not (path / "fixtures").is_dir():
        message = f"no shared fixtures at {path} (set CONSENTRY_SHARED_DIR)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _server_database_files_in_tmp(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server database keeps its match index and log key in the working directory
    (``consentry-index``, ``consentry-log.key``) unless told otherwise; in tests, tell it
    to use the test's folder, so a PostgreSQL run leaves nothing in the checkout.
    A test that sets these itself still wins (its ``setenv`` comes later)."""
    if request.config.getoption("--db") != "postgresql":
        return
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "derived-index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "derived-log.key"))
