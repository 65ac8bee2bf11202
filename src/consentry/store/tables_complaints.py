"""Complaints: a creator or rightsholder says a work was used; the developer answers.

Tables join the registry's one ``metadata``; migration 0007 creates exactly these
(0012 lets a step name a service administrator account instead of a party).
``complaints`` holds each complaint's head (its state and a version counter
for compare-and-set updates); ``complaint_steps`` the moves made on it, one
row each, never updated, each by a party or (an administrator's decision
through the service) by an administrator account; ``complaint_evidence`` what the complainant showed
(hashes and match results, never the content); ``complaint_rows`` the manifest
rows the check found when the complaint was filed.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Index, Integer, String, Table, Text

from consentry.store.tables import ExactDecimal, UtcDateTime, metadata

__all__ = ["complaint_evidence", "complaint_rows", "complaint_steps", "complaints", "metadata"]


def _ref(name: str, target: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(64), ForeignKey(target), nullable=nullable)


complaints = Table(
    "complaints",
    metadata,
    Column("id", String(64), primary_key=True),
    _ref("complainant_id", "parties.id"),
    _ref("developer_id", "parties.id"),
    _ref("work_id", "works.id"),
    _ref("dataset_version_id", "dataset_versions.id", nullable=True),
    _ref("model_version_id", "model_versions.id", nullable=True),
    Column("statement", Text),
    Column("filed_at", UtcDateTime, nullable=False),
    Column("answer_by", UtcDateTime, nullable=False),
    Column("state", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("verdict", String(16), nullable=False),
    Column("unchecked", Text, nullable=False),
    Column("trainings", Text, nullable=False),
    Index("ix_complaints_developer", "developer_id"),
    Index("ix_complaints_complainant", "complainant_id"),
    Index("ix_complaints_work", "work_id"),
)

complaint_steps = Table(
    "complaint_steps",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("move", String(16), nullable=False),
    _ref("party_id", "parties.id", nullable=True),
    Column("account_id", String(64)),  # an administrator account's decision (0012)
    Column("actor", String(16), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("answer", String(8)),
    Column("remedy", String(8)),
    Column("reason", String(16)),
    Column("outcome", String(16)),
    Column("licence_id", String(64)),
    Column("amount", ExactDecimal),
    Column("currency", String(3)),
    Column("overdue", Integer),
    Column("note", Text),
)

complaint_evidence = Table(
    "complaint_evidence",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("kind", String(8), nullable=False),
    Column("sha256", String(64)),
    Column("item_id", Text),
    Column("matches", Text, nullable=False),
    Column("holds_work", Integer),
)

complaint_rows = Table(
    "complaint_rows",
    metadata,
    Column("complaint_id", String(64), ForeignKey("complaints.id"), primary_key=True),
    Column("position", Integer, primary_key=True, autoincrement=False),
    _ref("dataset_version_id", "dataset_versions.id"),
    Column("row_index", Integer, nullable=False),
    Column("item_id", Text, nullable=False),
    Column("decision", String(8), nullable=False),
    Column("reasons", Text, nullable=False),
    Column("work_id", String(64)),
    Column("match", String(8)),
    Column("score", Float),
    Column("licence_id", String(64)),
    Column("row_sha256", String(64), nullable=False),
    Column("use", String(16), nullable=False),
    Column("used_by", Text, nullable=False),
)
