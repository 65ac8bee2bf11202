"""Connect to the registry database and keep its schema current.

SQLite (the default, a file in the working directory) runs in WAL mode with
foreign keys on and a busy timeout; PostgreSQL goes through psycopg 3. The
schema is owned by the Alembic migrations packaged beside this module.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from consentry.errors import DatabaseNotReady, InvalidInput

SQLITE_BUSY_TIMEOUT_MS = 5000

# SQLite primary result codes (the extended ones, e.g. SQLITE_BUSY_SNAPSHOT, share the low byte).
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
_PG_CONTENTION = frozenset({"40001", "40P01", "55P03"})


def make_engine(url: str) -> Engine:
    """An engine for ``url``; ``postgresql://`` URLs get the psycopg 3 driver."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise InvalidInput(
            f"not a database URL: {url!r}",
            hint="use sqlite:///path/to/file.db or postgresql://user@host/dbname",
        ) from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def is_contention(exc: DBAPIError) -> bool:
    """True when ``exc`` means another transaction got in first (retrying may succeed).

    SQLite: busy or locked (a deferred transaction that read and then wants to
    write while another connection writes fails at once, without waiting).
    PostgreSQL: a serialization failure, a deadlock, or a lock not available.
    """
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return getattr(orig, "sqlstate", None) in _PG_CONTENTION


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


def _alembic_config(engine: Engine) -> Config:
    config = Config()
    location = resources.files("consentry.store") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def head_revision(engine: Engine) -> str | None:
    """The newest migration this version of consentry knows."""
    return ScriptDirectory.from_config(_alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise DatabaseNotReady(
            f"cannot open the registry database: {exc.orig}",
            hint="check --db / CONSENTRY_DATABASE_URL, then run `consentry init`",
        ) from exc


def upgrade(engine: Engine) -> None:
    """Create the schema, or migrate it to the newest revision."""
    command.upgrade(_alembic_config(engine), "head")


def ensure_ready(engine: Engine) -> None:
    """Raise :class:`DatabaseNotReady` unless the schema is at the newest revision."""
    current, head = current_revision(engine), head_revision(engine)
    if current is None:
        raise DatabaseNotReady(
            f"no consentry registry at {engine.url.render_as_string(hide_password=True)}",
            hint="run `consentry init` (with the same --db) to create it",
        )
    if current != head:
        raise DatabaseNotReady(
            f"the registry is at schema {current}, this consentry needs {head}",
            hint="run `consentry init` to migrate it",
        )
