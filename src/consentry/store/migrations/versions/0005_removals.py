"""Removals: requests to take a work out of a dataset, and the certificates issued.

Revision ID: 0005
Revises: 0004

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add removals."""
    op.create_table(
        "removals",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("work_id", sa.String(length=64), nullable=False),
        sa.Column("dataset_version_id", sa.String(length=64), nullable=False),
        sa.Column("new_dataset_version_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("out_dir", sa.Text(), nullable=False),
        sa.Column("items_removed", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("certificate", sa.Text(), nullable=True),
        sa.Column("certificate_sha256", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["new_dataset_version_id"], ["dataset_versions.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("removals", schema=None) as batch_op:
        batch_op.create_index("ix_removals_new_dataset", ["new_dataset_version_id"], unique=True)
        batch_op.create_index("ix_removals_work", ["work_id"], unique=False)


def downgrade() -> None:
    """Drop removals."""
    op.drop_table("removals")
