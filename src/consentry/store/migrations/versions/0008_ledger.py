"""The usage ledger: uses per work, inference uses, revenue, statements and payments.

Revision ID: 0008
Revises: 0007

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)
_ID = sa.String(length=64)


def upgrade() -> None:
    """Add the tables of ``tables_ledger``."""
    op.create_table(
        "ledger_batches",
        sa.Column("id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("model_version_id", _ID, nullable=False),
        sa.Column("dataset_version_id", _ID, nullable=True),
        sa.Column("used", sa.String(length=8), nullable=True),
        sa.Column("used_at", _WHEN, nullable=False),
        sa.Column("tariff", sa.Text(), nullable=True),
        sa.Column("log_position", sa.Integer(), nullable=False),
        sa.Column("recorded_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_batches_model", "ledger_batches", ["model_version_id"])
    op.create_table(
        "ledger_uses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", _ID, nullable=False),
        sa.Column("work_id", _ID, nullable=False),
        sa.Column("licence_id", _ID, nullable=True),
        sa.Column("past_use", sa.Boolean(), nullable=False),
        sa.Column("items", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.Column("seconds", sa.String(length=64), nullable=False),
        sa.Column("images", sa.BigInteger(), nullable=False),
        sa.Column("epochs", sa.Integer(), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["ledger_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_uses_batch", "ledger_uses", ["batch_id"])
    op.create_index("ix_ledger_uses_work", "ledger_uses", ["work_id"])
    op.create_table(
        "ledger_open_uses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("batch_id", _ID, nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("licence", sa.String(length=64), nullable=False),
        sa.Column("attribution", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["ledger_batches.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_open_uses_batch", "ledger_open_uses", ["batch_id"])
    op.create_table(
        "ledger_revenue",
        sa.Column("id", _ID, nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.String(length=64), nullable=False),
        sa.Column("reported_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("model", "period", name="uq_ledger_revenue_model_period"),
    )
    op.create_table(
        "ledger_periods",
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("closed_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("period"),
    )
    op.create_table(
        "ledger_statements",
        sa.Column("id", _ID, nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("party_id", _ID, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("total_minor", sa.BigInteger(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("period", "party_id", "currency", name="uq_ledger_statements_party"),
    )
    op.create_table(
        "ledger_payments",
        sa.Column("id", _ID, nullable=False),
        sa.Column("statement_id", _ID, nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("recorded_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["statement_id"], ["ledger_statements.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ledger_payments_statement", "ledger_payments", ["statement_id"])


def downgrade() -> None:
    """Drop the ledger."""
    for table in (
        "ledger_payments",
        "ledger_statements",
        "ledger_periods",
        "ledger_revenue",
        "ledger_open_uses",
        "ledger_uses",
        "ledger_batches",
    ):
        op.drop_table(table)
