"""Removals: requests to take a work out of a dataset, and the certificates issued.

Tables join the registry's one ``metadata``; migration 0005 creates exactly these.
A removal names the work, the dataset version it was taken out of and the new
version written without it, the folder holding the new version's outputs, the
requester's free-text reason (kept here, never in the log, so it can be
corrected or erased) and, once issued, the removal certificate.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from consentry.store.tables import UtcDateTime, metadata

removals = Table(
    "removals",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("work_id", String(64), ForeignKey("works.id"), nullable=False),
    Column("dataset_version_id", String(64), ForeignKey("dataset_versions.id"), nullable=False),
    Column("new_dataset_version_id", String(64), ForeignKey("dataset_versions.id"), nullable=False),
    Column("reason", Text),
    Column("out_dir", Text, nullable=False),
    Column("items_removed", Integer, nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("completed_at", UtcDateTime, nullable=False),
    Column("certificate", Text),
    Column("certificate_sha256", String(64)),
    Index("ix_removals_new_dataset", "new_dataset_version_id", unique=True),
    Index("ix_removals_work", "work_id"),
)

__all__ = ["metadata", "removals"]
