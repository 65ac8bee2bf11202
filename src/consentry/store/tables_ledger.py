"""The usage ledger: uses per work, inference uses, revenue, statements and payments.

Tables join the registry's one ``metadata``; migration 0008 creates exactly these.
Every table is append-only except ``ledger_periods`` (a row per closed period).
A *batch* is one recording (a training, or one call recording inference uses):
its uses share its log entry. Balances are never stored: they are the issued
statements' totals less the payments recorded against them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from consentry.store.tables import ExactDecimal, UtcDateTime, metadata

__all__ = [
    "ledger_batches",
    "ledger_open_uses",
    "ledger_payments",
    "ledger_periods",
    "ledger_revenue",
    "ledger_statements",
    "ledger_uses",
    "metadata",
]

ledger_batches = Table(
    "ledger_batches",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("model_version_id", String(64), ForeignKey("model_versions.id"), nullable=False),
    Column("dataset_version_id", String(64), ForeignKey("dataset_versions.id")),
    Column("used", String(8)),
    Column("used_at", UtcDateTime, nullable=False),
    Column("tariff", Text),
    Column("log_position", Integer, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_ledger_batches_model", "model_version_id"),
)

ledger_uses = Table(
    "ledger_uses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", String(64), ForeignKey("ledger_batches.id"), nullable=False),
    Column("work_id", String(64), nullable=False),
    Column("licence_id", String(64)),
    Column("past_use", Boolean, nullable=False),
    Column("items", BigInteger, nullable=False),
    Column("bytes", BigInteger, nullable=False),
    Column("tokens", BigInteger, nullable=False),
    Column("seconds", ExactDecimal, nullable=False),
    Column("images", BigInteger, nullable=False),
    Column("epochs", Integer, nullable=False),
    Column("uses", BigInteger, nullable=False),
    Index("ix_ledger_uses_batch", "batch_id"),
    Index("ix_ledger_uses_work", "work_id"),
)

ledger_open_uses = Table(
    "ledger_open_uses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("batch_id", String(64), ForeignKey("ledger_batches.id"), nullable=False),
    Column("item_id", Text, nullable=False),
    Column("source", Text),
    Column("licence", String(64), nullable=False),
    Column("attribution", Text),
    Index("ix_ledger_open_uses_batch", "batch_id"),
)

ledger_revenue = Table(
    "ledger_revenue",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("model", String(200), nullable=False),
    Column("period", String(8), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount", ExactDecimal, nullable=False),
    Column("reported_at", UtcDateTime, nullable=False),
    UniqueConstraint("model", "period", name="uq_ledger_revenue_model_period"),
)

ledger_periods = Table(
    "ledger_periods",
    metadata,
    Column("period", String(8), primary_key=True),
    Column("closed_at", UtcDateTime, nullable=False),
)

ledger_statements = Table(
    "ledger_statements",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("period", String(8), nullable=False),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("total_minor", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    UniqueConstraint("period", "party_id", "currency", name="uq_ledger_statements_party"),
)

ledger_payments = Table(
    "ledger_payments",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("statement_id", String(64), ForeignKey("ledger_statements.id"), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("paid_on", Date, nullable=False),
    Column("reference", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Index("ix_ledger_payments_statement", "statement_id"),
)
