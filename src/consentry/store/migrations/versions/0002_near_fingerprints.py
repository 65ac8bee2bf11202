"""Near-copy fingerprints: one row per work and scheme, the source of the match index.

Revision ID: 0002
Revises: 0001

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the near_fingerprints table."""
    op.create_table(
        "near_fingerprints",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("work_id", sa.String(length=64), nullable=False),
        sa.Column("scheme", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("work_id", "scheme", name="uq_near_fingerprints_work_scheme"),
    )


def downgrade() -> None:
    """Drop the near_fingerprints table."""
    op.drop_table("near_fingerprints")
