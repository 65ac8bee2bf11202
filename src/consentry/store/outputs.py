"""Where dataset versions' outputs are (``tables_outputs.dataset_outputs``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from consentry.store.tables import log_entries
from consentry.store.tables_outputs import dataset_outputs


@dataclass(frozen=True, slots=True)
class OutputsRecord:
    """The folder a dataset version's outputs were written to, and its manifest's digest then."""

    dataset_id: str
    path: str
    manifest_sha256: str


class OutputsStore:
    """Reads and writes output folders on the unit of work's connection (no business rules)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def set_outputs(self, record: OutputsRecord) -> None:
        """Remember (or move) where a dataset version's outputs are."""
        t = dataset_outputs
        values = {"path": record.path, "manifest_sha256": record.manifest_sha256}
        done = self.conn.execute(update(t).where(t.c.dataset_id == record.dataset_id), values)
        if done.rowcount == 0:
            self.conn.execute(insert(t), [{"dataset_id": record.dataset_id, **values}])

    def outputs_of(self, dataset_id: str) -> OutputsRecord | None:
        """Where the outputs of ``dataset_id`` were written, if recorded."""
        t = dataset_outputs
        row = self.conn.execute(select(t).where(t.c.dataset_id == dataset_id)).mappings()
        found = row.one_or_none()
        if found is None:
            return None
        return OutputsRecord(found["dataset_id"], found["path"], found["manifest_sha256"])

    def committed_manifest(self, dataset_id: str) -> str | None:
        """The manifest SHA-256 the log's ``dataset.committed`` entry gives for ``dataset_id``."""
        t = log_entries
        query = select(t.c.body).where(t.c.type == "dataset.committed").order_by(t.c.position)
        for (body,) in self.conn.execute(query):
            fields = json.loads(bytes(body))
            if fields.get("dataset") == dataset_id:
                digest = fields.get("manifest_sha256")
                return digest if isinstance(digest, str) else None
        return None
