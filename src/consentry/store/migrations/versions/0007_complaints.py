"""Complaints: a creator or rightsholder says a work was used; the developer answers.

Revision ID: 0007
Revises: 0006

"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables of ``tables_complaints`` are added here."""


def downgrade() -> None:
    """Nothing yet."""
