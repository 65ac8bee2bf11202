"""Accounts, sessions and API tokens for the service.

Revision ID: 0009
Revises: 0008

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str = "id") -> sa.Column[str]:
    return sa.Column(name, sa.String(length=64), nullable=False)


def _at(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Add organisations, accounts, sessions, API tokens, spent CSRF nonces and claims."""
    op.create_table(
        "csrf_spent",
        sa.Column("nonce", sa.String(length=64), nullable=False),
        _at("spent_at"),
        sa.PrimaryKeyConstraint("nonce"),
    )
    op.create_table(
        "organisations",
        _id(),
        _id("party_id"),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _at("created_at"),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("party_id"),
    )
    op.create_table(
        "work_registrants",
        _id("work_id"),
        _id("party_id"),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("work_id"),
    )
    op.create_table(
        "accounts",
        _id(),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("party_id", sa.String(length=64), nullable=True),
        sa.Column("org_id", sa.String(length=64), nullable=True),
        sa.Column("org_role", sa.String(length=8), nullable=True),
        _at("created_at"),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_index("ix_accounts_org", "accounts", ["org_id"], unique=False)
    op.create_table(
        "account_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _id("account_id"),
        _at("created_at"),
        _at("expires_at"),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    op.create_index("ix_account_sessions_account", "account_sessions", ["account_id"], unique=False)
    op.create_table(
        "api_tokens",
        _id(),
        _id("account_id"),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=False),
        _at("created_at"),
        _at("expires_at", nullable=True),
        _at("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_api_tokens_account", "api_tokens", ["account_id"], unique=False)
    op.create_table(
        "work_claims",
        _id(),
        _id("work_id"),
        _id("account_id"),
        _id("party_id"),
        sa.Column("status", sa.String(length=12), nullable=False),
        _at("created_at"),
        _at("decided_at", nullable=True),
        sa.Column("decided_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"]),
        sa.ForeignKeyConstraint(["party_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["work_id"], ["works.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_work_claims_account", "work_claims", ["account_id"], unique=False)
    op.create_index("ix_work_claims_work", "work_claims", ["work_id"], unique=False)


def downgrade() -> None:
    """Drop the account tables."""
    op.drop_index("ix_work_claims_work", table_name="work_claims")
    op.drop_index("ix_work_claims_account", table_name="work_claims")
    op.drop_table("work_claims")
    op.drop_index("ix_api_tokens_account", table_name="api_tokens")
    op.drop_table("api_tokens")
    op.drop_index("ix_account_sessions_account", table_name="account_sessions")
    op.drop_table("account_sessions")
    op.drop_index("ix_accounts_org", table_name="accounts")
    op.drop_table("accounts")
    op.drop_table("work_registrants")
    op.drop_table("organisations")
    op.drop_table("csrf_spent")
