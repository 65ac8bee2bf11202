"""A workspace: one registry database, opened once, shared by every action.

Actions open a unit of work on it (:meth:`Workspace.transaction`), call the
core and commit; the CLI and the service hold a workspace and call actions,
never the store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from consentry.config import database_url
from consentry.store import Registry, ensure_ready, make_engine, open_registry, upgrade

LOCAL_ACTOR = "local-cli"


@dataclass(frozen=True)
class Workspace:
    """An open registry database and the clock the actions read."""

    url: str
    engine: Engine

    @contextmanager
    def transaction(self) -> Iterator[Registry]:
        """One unit of work: committed when the block ends, rolled back on error."""
        with open_registry(self.engine) as registry:
            yield registry

    def beside_database(self, suffix: str, fallback: str) -> Path:
        """A path next to an SQLite registry file (``consentry.db<suffix>``), else ``fallback``.

        Derived files (the match index, the log key) live with the registry
        they belong to; a server database has no such place, so they go to
        ``fallback`` in the working directory unless configured.
        """
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return Path(f"{url.database}{suffix}")
        return Path(fallback)

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        return datetime.now(UTC)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()


def init(url: str | None = None) -> Workspace:
    """Create the registry (or bring it to the newest schema) and open it."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    upgrade(engine)
    return Workspace(resolved, engine)


def open_workspace(url: str | None = None) -> Workspace:
    """Open an existing registry; fails with a hint to run ``consentry init`` if absent."""
    resolved = database_url(url)
    engine = make_engine(resolved)
    ensure_ready(engine)
    return Workspace(resolved, engine)
