"""Complaints: a creator or rightsholder says a work was used; the developer answers.

Revision ID: 0007
Revises: 0006

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=64), nullable=nullable)


def _when(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Add complaints, complaint_steps, complaint_evidence and complaint_rows."""
    op.create_table(
        "complaints",
        _id("id"),
        _id("complainant_id"),
        _id("developer_id"),
        _id("work_id"),
        _id("dataset_version_id", nullable=True),
        _id("model_version_id", nullable=True),
        sa.Column("statement", sa.Text(), nullable=True),
        _when("filed_at"),
        _when("answer_by"),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("unchecked", sa.Text(), nullable=False),
        sa.Column("trainings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["complainant_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["model_version_id"], ["model_versions.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaints_developer", "complaints", ["developer_id"])
    op.create_index("ix_complaints_complainant", "complaints", ["complainant_id"])
    op.create_index("ix_complaints_work", "complaints", ["work_id"])
    op.create_table(
        "complaint_steps",
        _id("complaint_id"),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("move", sa.String(length=16), nullable=False),
        _id("party_id"),
        sa.Column("actor", sa.String(length=16), nullable=False),
        _when("at"),
        sa.Column("answer", sa.String(length=8), nullable=True),
        sa.Column("remedy", sa.String(length=8), nullable=True),
        sa.Column("reason", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        _id("licence_id", nullable=True),
        sa.Column("amount", sa.String(length=64), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("overdue", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "seq"),
    )
    op.create_table(
        "complaint_evidence",
        _id("complaint_id"),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        _id("sha256", nullable=True),
        sa.Column("item_id", sa.Text(), nullable=True),
        sa.Column("matches", sa.Text(), nullable=False),
        sa.Column("holds_work", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "position"),
    )
    op.create_table(
        "complaint_rows",
        _id("complaint_id"),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        _id("dataset_version_id"),
        sa.Column("row_index", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        _id("work_id", nullable=True),
        sa.Column("match", sa.String(length=8), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        _id("licence_id", nullable=True),
        _id("row_sha256"),
        sa.Column("use", sa.String(length=16), nullable=False),
        sa.Column("used_by", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "position"),
    )


def downgrade() -> None:
    """Drop the complaints tables."""
    op.drop_table("complaint_rows")
    op.drop_table("complaint_evidence")
    op.drop_table("complaint_steps")
    op.drop_index("ix_complaints_work", table_name="complaints")
    op.drop_index("ix_complaints_complainant", table_name="complaints")
    op.drop_index("ix_complaints_developer", table_name="complaints")
    op.drop_table("complaints")
