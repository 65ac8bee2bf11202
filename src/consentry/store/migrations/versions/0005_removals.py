"""Removals: requests to take a work out of a dataset, and the certificates issued.

Revision ID: 0005
Revises: 0004

"""

from collections.abc import Sequence

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables of ``tables_removals`` are added here."""


def downgrade() -> None:
    """Nothing yet."""
