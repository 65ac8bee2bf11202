"""The registry as one unit of work: every store over one transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from consentry.store.consents import ConsentStore
from consentry.store.licences import LicenceStore
from consentry.store.parties import PartyStore
from consentry.store.works import WorkStore


class Registry(PartyStore, WorkStore, ConsentStore, LicenceStore):
    """Reads and writes the registry over one connection inside one transaction.

    Takes and returns domain objects, never rows; builds no SQL from strings.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn


@contextmanager
def open_registry(engine: Engine) -> Iterator[Registry]:
    """A :class:`Registry` whose transaction commits on success, rolls back on error."""
    with engine.begin() as conn:
        yield Registry(conn)
