"""Requests, answers and counters: developers ask in advance, every party answers.

Revision ID: 0006
Revises: 0005

"""

from collections.abc import Sequence

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables of ``tables_requests`` are added here."""


def downgrade() -> None:
    """Nothing yet."""
