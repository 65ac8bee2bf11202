"""Where each dataset version's outputs are, and the complaint remedies carried out.

Tables join the registry's one ``metadata``; migration 0010 creates exactly these.

``dataset_outputs`` remembers the folder a scan (or a removal) wrote a dataset
version's outputs into, with the SHA-256 its ``manifest.jsonl`` had then, so
that removal, complaints, the ledger and reports find the manifest without
being told; whoever reads it still checks the digest against the log.

``complaint_remedies`` records each remedy carried out for a complaint (one
row per complaint and step: the developer's ``answer`` or an administrator's
``resolution``): the removal it ran, the licence it relies on, or the amount
it settled; ``complaint_remedy_parts`` splits a settled amount among the
work's parties, exactly, in minor units.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text

from consentry.store.tables import UtcDateTime, metadata

__all__ = ["complaint_remedies", "complaint_remedy_parts", "dataset_outputs", "metadata"]

dataset_outputs = Table(
    "dataset_outputs",
    metadata,
    Column("dataset_id", String(64), ForeignKey("dataset_versions.id"), primary_key=True),
    Column("path", Text, nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
)

complaint_remedies = Table(
    "complaint_remedies",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("step", String(12), primary_key=True),
    Column("remedy", String(8), nullable=False),
    Column("dataset_version_id", String(64), ForeignKey("dataset_versions.id")),
    Column("removal_id", String(64), ForeignKey("removals.id")),
    Column("licence_id", String(64), ForeignKey("licences.id")),
    Column("currency", String(3)),
    Column("amount_minor", BigInteger),
    Column("carried_out_at", UtcDateTime, nullable=False),
    Index("ix_complaint_remedies_removal", "removal_id"),
)

complaint_remedy_parts = Table(
    "complaint_remedy_parts",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("step", String(12), primary_key=True),
    Column("party_id", String(64), ForeignKey("parties.id"), primary_key=True),
    Column("amount_minor", BigInteger, nullable=False),
    Index("ix_complaint_remedy_parts_party", "party_id"),
)
