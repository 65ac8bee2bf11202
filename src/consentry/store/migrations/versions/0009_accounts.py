"""Accounts, sessions and API tokens for the service.

Revision ID: 0009
Revises: 0008

"""

from collections.abc import Sequence

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables of ``tables_accounts`` are added here."""


def downgrade() -> None:
    """Nothing yet."""
