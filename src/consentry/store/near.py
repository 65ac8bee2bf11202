"""Near-copy fingerprints, read in registration order for the match index.

They are written with their work (:meth:`WorkStore.add_works`). The index
reads them in ``seq`` order, so that it can record how far it has read and
later catch up on what was registered since, instead of rebuilding.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select

from consentry.store.tables import fingerprints, near_fingerprints

READ_BATCH = 2000


@dataclass(frozen=True, slots=True)
class StoredNear:
    """One stored near-copy fingerprint and its position in registration order."""

    seq: int
    work_id: str
    scheme: str
    data: bytes
    content_sha256: str | None


@dataclass(frozen=True, slots=True)
class NearState:
    """How many near fingerprints are stored, and the newest one's ``seq``."""

    count: int
    last_seq: int


class NearFingerprintStore:
    """Read access to near-copy fingerprints."""

    conn: Connection

    def near_state(self) -> NearState:
        """The count and newest ``seq`` of stored near fingerprints (0, 0 when none)."""
        query = select(func.count(), func.coalesce(func.max(near_fingerprints.c.seq), 0))
        count, last = self.conn.execute(query).one()
        return NearState(int(count), int(last))

    def near_work_at(self, seq: int) -> str | None:
        """The work whose near fingerprint has this ``seq``; None when there is none."""
        query = select(near_fingerprints.c.work_id).where(near_fingerprints.c.seq == seq)
        return self.conn.execute(query).scalar_one_or_none()

    def near_fingerprints_after(self, seq: int) -> Iterator[StoredNear]:
        """Every near fingerprint with ``seq`` greater than ``seq``, oldest first, in batches."""
        near, exact = near_fingerprints, fingerprints
        joined = near.outerjoin(
            exact, and_(exact.c.work_id == near.c.work_id, exact.c.kind == "content_sha256")
        )
        columns = (*near.c, exact.c.value.label("content_sha256"))
        while True:
            query = (
                select(*columns)
                .select_from(joined)
                .where(near.c.seq > seq)
                .order_by(near.c.seq)
                .limit(READ_BATCH)
            )
            rows = list(self.conn.execute(query).mappings())
            for row in rows:
                yield StoredNear(
                    row["seq"],
                    row["work_id"],
                    row["scheme"],
                    bytes(row["data"]),
                    row["content_sha256"],
                )
            if len(rows) < READ_BATCH:
                return
            seq = rows[-1]["seq"]
