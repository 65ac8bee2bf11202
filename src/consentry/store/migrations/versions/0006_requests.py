"""Requests, answers and counters: developers ask in advance, every party answers.

Revision ID: 0006
Revises: 0005

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.String(length=64)
_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    """Add requests, request_works, request_answers, request_counters, preferences, outbox."""
    op.create_table(
        "requests",
        sa.Column("id", _ID, nullable=False),
        sa.Column("developer_id", _ID, nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("offered_by", _ID, nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("answer_by", _WHEN, nullable=True),
        sa.Column("developer_accepted_at", _WHEN, nullable=True),
        sa.Column("renews", _ID, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("withdrawn_at", _WHEN, nullable=True),
        sa.Column("version", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["developer_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["offered_by"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_requests_developer", "requests", ["developer_id"])
    op.create_table(
        "request_works",
        sa.Column("request_id", _ID, nullable=False),
        sa.Column("work_id", _ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("terms_id", _ID, nullable=False),
        sa.Column("licence_id", _ID, nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.UniqueConstraint("request_id", "work_id", name="uq_request_works"),
    )
    op.create_index("ix_request_works_work", "request_works", ["work_id"])
    op.create_table(
        "request_answers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("request_id", _ID, nullable=False),
        sa.Column("work_id", _ID, nullable=False),
        sa.Column("party_id", _ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("terms_id", _ID, nullable=False),
        sa.Column("answered_by", _ID, nullable=False),
        sa.Column("authority", sa.String(length=16), nullable=False),
        sa.Column("mandate_id", _ID, nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("counter_id", _ID, nullable=True),
        sa.Column("answered_at", _WHEN, nullable=False),
        sa.Column("superseded_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["answered_by"], ["parties.id"]),
        sa.ForeignKeyConstraint(["mandate_id"], ["mandates.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_answers_request", "request_answers", ["request_id"])
    op.create_index("ix_request_answers_work_party", "request_answers", ["work_id", "party_id"])
    op.create_table(
        "request_counters",
        sa.Column("id", _ID, nullable=False),
        sa.Column("request_id", _ID, nullable=False),
        sa.Column("work_id", _ID, nullable=False),
        sa.Column("party_id", _ID, nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["request_id"], ["requests.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_request_counters_request", "request_counters", ["request_id"])
    op.create_table(
        "request_preferences",
        sa.Column("party_id", _ID, nullable=False),
        sa.Column("ask_again_days", sa.Integer(), nullable=True),
        sa.Column("ask_when_withheld", sa.Integer(), server_default="0", nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("party_id"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", _ID, nullable=False),
        sa.Column("recipient_id", _ID, nullable=False),
        sa.Column("request_id", _ID, nullable=True),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("sent_at", _WHEN, nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["recipient_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at"])


def downgrade() -> None:
    """Drop the request tables."""
    for table in (
        "outbox",
        "request_preferences",
        "request_counters",
        "request_answers",
        "request_works",
        "requests",
    ):
        op.drop_table(table)
