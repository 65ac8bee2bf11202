"""Cheap reads for the public lookup: the registry's version, on a dedicated connection."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Engine

from consentry.store.tables import log_entries

_VERSION = select(func.max(log_entries.c.position))


def registry_version(conn: Connection) -> int:
    """A number that grows with every logged change (the newest log position, -1 if none).

    Every change that can alter a decision (works, consent, licences, mandates)
    writes its log entry in the same transaction, so an unchanged version means
    unchanged decision inputs. Reads the primary key's index only.
    """
    value = conn.execute(_VERSION).scalar_one()
    return -1 if value is None else int(value)


class VersionProbe:
    """:func:`registry_version` on one long-lived autocommit connection, for the hot path.

    Checking a pooled connection out and opening a transaction costs several
    times more than the query itself; this keeps one driver connection in
    autocommit (each read sees the newest committed change) behind a lock.
    The statement is compiled from the Core query once, never built from text.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sql = str(_VERSION.compile(dialect=engine.dialect))
        self._raw: Any = None
        self._lock = threading.Lock()

    def read(self) -> int:
        """The registry's version now."""
        with self._lock:
            if self._raw is None:
                self._raw = self.engine.raw_connection()
                if self.engine.dialect.name == "postgresql":
                    self._raw.driver_connection.autocommit = True
            try:
                cursor = self._raw.driver_connection.cursor()
                cursor.execute(self._sql)
                row = cursor.fetchone()
                cursor.close()
            except Exception:
                self._drop()
                raise
        return -1 if row is None or row[0] is None else int(row[0])

    def close(self) -> None:
        """Give the connection back (closed)."""
        with self._lock:
            self._drop()

    def _drop(self) -> None:
        if self._raw is not None:
            self._raw.invalidate()
            self._raw = None
