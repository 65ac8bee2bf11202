"""Removals and their certificates (``tables_removals``)."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, insert, select, update

from consentry.errors import NotFound
from consentry.evidence.removal import Removal
from consentry.store.tables_removals import removals


class RemovalStore:
    """Reads and writes removals on the registry's connection: ``RemovalStore(registry.conn)``."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_removal(self, removal: Removal) -> None:
        """Record a completed removal."""
        row = {
            "id": removal.id,
            "work_id": removal.work_id,
            "dataset_version_id": removal.dataset_version_id,
            "new_dataset_version_id": removal.new_dataset_version_id,
            "reason": removal.reason,
            "out_dir": removal.out_dir,
            "items_removed": removal.items_removed,
            "requested_at": removal.requested_at,
            "completed_at": removal.completed_at,
            "certificate": removal.certificate,
            "certificate_sha256": removal.certificate_sha256,
        }
        self.conn.execute(insert(removals), [row])

    def set_certificate(self, removal_id: str, certificate: str, digest: str) -> None:
        """Store the certificate issued for a removal."""
        query = update(removals).where(removals.c.id == removal_id)
        done = self.conn.execute(query.values(certificate=certificate, certificate_sha256=digest))
        if done.rowcount != 1:
            raise NotFound(f"no removal {removal_id!r}")

    def get_removal(self, removal_id: str) -> Removal:
        """The removal with this id, or NotFound."""
        row = self.conn.execute(select(removals).where(removals.c.id == removal_id)).mappings()
        found = row.one_or_none()
        if found is None:
            raise NotFound(f"no removal {removal_id!r}")
        return _removal(found)

    def removal_making(self, dataset_version_id: str) -> Removal | None:
        """The removal that wrote this dataset version, if one did."""
        query = select(removals).where(removals.c.new_dataset_version_id == dataset_version_id)
        found = self.conn.execute(query).mappings().one_or_none()
        return None if found is None else _removal(found)

    def removals_of_work(self, work_id: str) -> list[Removal]:
        """Every removal of a work, oldest first."""
        query = select(removals).where(removals.c.work_id == work_id)
        rows = self.conn.execute(query.order_by(removals.c.completed_at, removals.c.id))
        return [_removal(r) for r in rows.mappings()]


def _removal(row: RowMapping) -> Removal:
    return Removal(
        id=row["id"],
        work_id=row["work_id"],
        dataset_version_id=row["dataset_version_id"],
        new_dataset_version_id=row["new_dataset_version_id"],
        reason=row["reason"],
        out_dir=row["out_dir"],
        items_removed=row["items_removed"],
        requested_at=row["requested_at"],
        completed_at=row["completed_at"],
        certificate=row["certificate"],
        certificate_sha256=row["certificate_sha256"],
    )
