"""The evidence log's storage: entries by position, and signed checkpoints.

Appends happen inside the unit of work of the change they record, so the
change and its entry commit or roll back together. Positions are dense from
0; two writers racing for the same position cannot both commit (primary
key), which the unit of work reports as a conflict to retry.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Column, Connection, func, insert, select

from consentry.evidence.entry import Entry
from consentry.evidence.merkle import hash_leaf
from consentry.store.tables import checkpoints, log_entries

READ_BATCH = 5000


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """One stored log entry."""

    position: int
    type: str
    body: bytes
    leaf_hash: bytes
    recorded_at: datetime


class StoredLeaf(NamedTuple):
    """A stored entry without its time: what whole-log verification reads."""

    position: int
    type: str
    body: bytes
    leaf_hash: bytes


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """One signed checkpoint as stored."""

    size: int
    root: bytes
    note: str
    created_at: datetime


class LogStore:
    """Append and read the evidence log."""

    conn: Connection

    def log_size(self) -> int:
        """How many entries the log holds."""
        return int(self.conn.execute(select(func.count()).select_from(log_entries)).scalar_one())

    def append_entry(self, entry: Entry, at: datetime) -> int:
        """Append ``entry`` in this unit of work; returns its position."""
        return self.append_entries([entry], at)

    def append_entries(self, entries: Sequence[Entry], at: datetime) -> int:
        """Append ``entries`` in order in this unit of work; returns the first one's position."""
        first = self.log_size()
        rows = []
        for offset, entry in enumerate(entries):
            body = entry.canonical()
            rows.append(
                {
                    "position": first + offset,
                    "type": entry.type.value,
                    "body": body,
                    "leaf_hash": hash_leaf(body),
                    "recorded_at": at,
                }
            )
        if rows:
            self.conn.execute(insert(log_entries), rows)
        return first

    def log_entries_from(self, start: int = 0) -> Iterator[StoredEntry]:
        """Entries from ``start`` on, in order, read in batches."""
        c = log_entries.c
        for p, kind, body, leaf, at in self._paged(
            start, c.type, c.body, c.leaf_hash, c.recorded_at
        ):
            yield StoredEntry(p, kind, bytes(body), bytes(leaf), at)

    def log_leaves_from(self, start: int = 0) -> Iterator[StoredLeaf]:
        """Entries from ``start`` on, in order, without their times (no timestamp to parse).

        Whole-log verification reads every entry; leaving out ``recorded_at``
        makes that read about 2.5x faster on SQLite.
        """
        c = log_entries.c
        for p, kind, body, leaf in self._paged(start, c.type, c.body, c.leaf_hash):
            yield StoredLeaf(p, kind, bytes(body), bytes(leaf))

    def _paged(self, start: int, *columns: Column[Any]) -> Iterator[Any]:
        """Rows of (position, *columns) from ``start`` on, by keyset pages of READ_BATCH."""
        position = log_entries.c.position
        while True:
            query = (
                select(position, *columns)
                .where(position >= start)
                .order_by(position)
                .limit(READ_BATCH)
            )
            rows = self.conn.execute(query).all()
            yield from rows
            if len(rows) < READ_BATCH:
                return
            start = rows[-1][0] + 1

    def add_checkpoint(self, size: int, root: bytes, note: str, at: datetime) -> None:
        """Store a signed checkpoint (one per tree size)."""
        row = {"size": size, "root": root, "note": note, "created_at": at}
        self.conn.execute(insert(checkpoints), [row])

    def list_checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest tree first."""
        query = select(checkpoints).order_by(checkpoints.c.size)
        return [
            StoredCheckpoint(r["size"], bytes(r["root"]), r["note"], r["created_at"])
            for r in self.conn.execute(query).mappings()
        ]
