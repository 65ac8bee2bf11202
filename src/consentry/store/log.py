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

from sqlalchemy import Connection, func, insert, select

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
        while True:
            query = (
                select(log_entries)
                .where(log_entries.c.position >= start)
                .order_by(log_entries.c.position)
                .limit(READ_BATCH)
            )
            rows = list(self.conn.execute(query).mappings())
            for r in rows:
                yield StoredEntry(
                    r["position"],
                    r["type"],
                    bytes(r["body"]),
                    bytes(r["leaf_hash"]),
                    r["recorded_at"],
                )
            if len(rows) < READ_BATCH:
                return
            start = rows[-1]["position"] + 1

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
