"""The registry's tables (SQLAlchemy Core). The migrations create exactly these.

Decimals are stored as text so that every digit survives on every database;
timestamps as timezone-aware UTC. ``consents`` is an append-only history: a
change of mind is a new row, never an update.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

metadata = MetaData()


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored as its exact text; never passes through float."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: consentry stores aware UTC times only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _id(name: str = "id") -> Column[str]:
    return Column(name, String(64), primary_key=True)


def _fk(name: str, target: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(64), ForeignKey(target), nullable=nullable)


parties = Table(
    "parties",
    metadata,
    _id(),
    Column("name", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("isni", String(16), unique=True),
    Column("ipi", String(11), unique=True),
    Column("orcid", String(19)),
    Column("email", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_parties_name", "name"),
)

works = Table(
    "works",
    metadata,
    _id(),
    Column("title", Text, nullable=False),
    Column("kind", String(8), nullable=False),
    Column("split_creators", ExactDecimal),
    Column("split_rightsholders", ExactDecimal),
    Column("consent_version", Integer, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
)

work_identifiers = Table(
    "work_identifiers",
    metadata,
    _fk("work_id", "works.id"),
    Column("scheme", String(8), nullable=False),
    Column("value", String(512), nullable=False),
    Column("position", Integer, nullable=False),  # the order given (migration 0013)
    UniqueConstraint("scheme", "value", "work_id", name="uq_work_identifiers"),
    Index("ix_work_identifiers_work", "work_id"),
)

contributions = Table(
    "contributions",
    metadata,
    _fk("work_id", "works.id"),
    _fk("party_id", "parties.id"),
    Column("role", String(16), nullable=False),
    Column("share", ExactDecimal),
    Column("position", Integer, nullable=False),
    Index("ix_contributions_work", "work_id"),
    Index("ix_contributions_party", "party_id"),
)

rights = Table(
    "rights",
    metadata,
    _fk("work_id", "works.id"),
    _fk("party_id", "parties.id"),
    Column("share", ExactDecimal),
    Column("territory", String(16), nullable=False),
    Column("position", Integer, nullable=False),
    Index("ix_rights_work", "work_id"),
    Index("ix_rights_party", "party_id"),
)

fingerprints = Table(
    "fingerprints",
    metadata,
    _fk("work_id", "works.id"),
    Column("kind", String(32), nullable=False),
    Column("norm", String(32)),
    Column("value", String(512), nullable=False),
    Index("ix_fingerprints_value", "value"),
    Index("ix_fingerprints_work", "work_id"),
)

# Near-copy fingerprints (``consentry.fingerprint.near``): the match index is
# rebuilt from these rows, and ``seq`` lets it catch up on what was added since.
near_fingerprints = Table(
    "near_fingerprints",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    _fk("work_id", "works.id"),
    Column("scheme", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    UniqueConstraint("work_id", "scheme", name="uq_near_fingerprints_work_scheme"),
)

mandates = Table(
    "mandates",
    metadata,
    _id(),
    _fk("agent_id", "parties.id"),
    Column("creator_ids", Text, nullable=False),
    Column("uses", Text, nullable=False),
    Column("granted_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk("party_id", "parties.id"),
    Column("subject_kind", String(8), nullable=False),
    Column("subject_id", String(64), nullable=False),
    Column("use", String(16), nullable=False),
    Column("state", String(8), nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("recorded_by", String(64), nullable=False),
    _fk("mandate_id", "mandates.id", nullable=True),
    Column("evidence", Text),
    Column("expires_at", UtcDateTime),
    Index("ix_consents_subject", "subject_kind", "subject_id"),
)

personas = Table(
    "personas",
    metadata,
    _id(),
    _fk("party_id", "parties.id"),
    Column("names", Text, nullable=False),
    Column("voice", Integer, nullable=False),
    Column("likeness", Integer, nullable=False),
)

licences = Table(
    "licences",
    metadata,
    _id(),
    _fk("licensee_id", "parties.id"),
    Column("uses", Text, nullable=False),
    Column("models", Text, nullable=False),
    Column("territories", Text, nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    Column("catalogue_of", String(64)),
    Column("fee_terms", Text),
)

licence_works = Table(
    "licence_works",
    metadata,
    _fk("licence_id", "licences.id"),
    _fk("work_id", "works.id"),
    UniqueConstraint("licence_id", "work_id", name="uq_licence_works"),
    Index("ix_licence_works_work", "work_id"),
)

licence_grants = Table(
    "licence_grants",
    metadata,
    _fk("licence_id", "licences.id"),
    _fk("work_id", "works.id"),
    _fk("party_id", "parties.id"),
    Column("granted_at", UtcDateTime, nullable=False),
    Index("ix_licence_grants_licence", "licence_id"),
)


# What was scanned and what was trained on it (``consentry.provenance``).
dataset_versions = Table(
    "dataset_versions",
    metadata,
    _id(),
    Column("corpus", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("use", String(16), nullable=False),
    Column("regime", String(16), nullable=False),
    Column("as_of", UtcDateTime, nullable=False),
    _fk("developer_id", "parties.id", nullable=True),
    Column("params", Text, nullable=False),
    Column("items", Integer, nullable=False),
    Column("included", Integer, nullable=False),
    Column("excluded", Integer, nullable=False),
    Column("manifest_sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

model_versions = Table(
    "model_versions",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("version", String(100), nullable=False),
    _fk("developer_id", "parties.id", nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("name", "version", name="uq_model_versions_name_version"),
)

trainings = Table(
    "trainings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _fk("model_version_id", "model_versions.id"),
    _fk("dataset_version_id", "dataset_versions.id"),
    Column("used", String(8), nullable=False),
    Column("epochs", Integer),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_trainings_dataset", "dataset_version_id"),
)


# The evidence log (``consentry.evidence``): append-only; ``position`` is the
# 0-based leaf index, so a second writer at the same position fails its
# transaction instead of forking the log.
log_entries = Table(
    "log_entries",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("type", String(32), nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("leaf_hash", LargeBinary, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("size", Integer, primary_key=True, autoincrement=False),
    Column("root", LargeBinary, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
