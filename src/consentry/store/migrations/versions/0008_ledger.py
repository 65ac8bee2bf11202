"""The usage ledger: uses per work, inference uses, statements and payments.

Revision ID: 0008
Revises: 0007

"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing yet: the tables of ``tables_ledger`` are added here."""


def downgrade() -> None:
    """Nothing yet."""
