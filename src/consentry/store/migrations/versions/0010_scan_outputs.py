"""Where dataset versions' outputs are; complaint remedies carried out and their parts.

Revision ID: 0010
Revises: 0009

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length=64), nullable=nullable)


def upgrade() -> None:
    """Add dataset_outputs, complaint_remedies and complaint_remedy_parts."""
    op.create_table(
        "dataset_outputs",
        _id("dataset_id"),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["dataset_versions.id"]),
        sa.PrimaryKeyConstraint("dataset_id"),
    )
    op.create_table(
        "complaint_remedies",
        _id("complaint_id"),
        sa.Column("step", sa.String(length=12), nullable=False),
        sa.Column("remedy", sa.String(length=8), nullable=False),
        _id("dataset_version_id", nullable=True),
        _id("removal_id", nullable=True),
        _id("licence_id", nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("carried_out_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["removal_id"], ["removals.id"]),
        sa.ForeignKeyConstraint(["licence_id"], ["licences.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "step"),
    )
    op.create_index("ix_complaint_remedies_removal", "complaint_remedies", ["removal_id"])
    op.create_table(
        "complaint_remedy_parts",
        _id("complaint_id"),
        sa.Column("step", sa.String(length=12), nullable=False),
        _id("party_id"),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaints.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("complaint_id", "step", "party_id"),
    )
    op.create_index("ix_complaint_remedy_parts_party", "complaint_remedy_parts", ["party_id"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_complaint_remedy_parts_party", table_name="complaint_remedy_parts")
    op.drop_table("complaint_remedy_parts")
    op.drop_index("ix_complaint_remedies_removal", table_name="complaint_remedies")
    op.drop_table("complaint_remedies")
    op.drop_table("dataset_outputs")
