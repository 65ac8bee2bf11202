"""Complaint steps by a service administrator account (which stands for no party).

Revision ID: 0012
Revises: 0011

A step is made by a party (``party_id``) or, for an administrator's decision
through the service, by an administrator account (``account_id``); exactly
one of the two is set. ``account_id`` has no foreign key: the step is history
and stays when the account is deleted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Let a complaint step name an administrator account instead of a party."""
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_id", sa.String(length=64), nullable=True))
        batch_op.alter_column("party_id", existing_type=sa.String(length=64), nullable=True)


def downgrade() -> None:
    """Drop the account column (refused while an account's step exists: party_id is NULL)."""
    with op.batch_alter_table("complaint_steps", schema=None) as batch_op:
        batch_op.alter_column("party_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("account_id")
