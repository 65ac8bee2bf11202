"""The registry as one unit of work: every store over one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from consentry.errors import ConflictError
from consentry.store.consents import ConsentStore
from consentry.store.engine import is_contention
from consentry.store.licences import LicenceStore
from consentry.store.log import LogStore
from consentry.store.near import NearFingerprintStore
from consentry.store.parties import PartyStore
from consentry.store.provenance import ProvenanceStore
from consentry.store.works import WorkStore


class Registry(
    PartyStore,
    WorkStore,
    ConsentStore,
    LicenceStore,
    NearFingerprintStore,
    ProvenanceStore,
    LogStore,
):
    """Reads and writes the registry over one connection inside one transaction.

    Takes and returns domain objects, never rows; builds no SQL from strings.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn


@contextmanager
def open_registry(engine: Engine) -> Iterator[Registry]:
    """A :class:`Registry` whose transaction commits on success, rolls back on error.

    When another writer holds the database (SQLite is busy, PostgreSQL reports a
    serialization failure or deadlock), in any statement or at commit, the unit
    of work is rolled back and :class:`ConflictError` says to try again.
    """
    try:
        with engine.begin() as conn:
            yield Registry(conn)
    except DBAPIError as exc:
        if not is_contention(exc):
            raise
        raise ConflictError(
            "another writer was changing the registry at the same time; nothing was written",
            hint="try again; if it keeps happening, look for a long-running writer",
        ) from exc
