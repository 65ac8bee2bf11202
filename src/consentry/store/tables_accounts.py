"""Accounts, sessions and API tokens for the service.

Tables join the registry's one ``metadata``; migration 0009 creates exactly these.
Secrets are never stored: sessions and API tokens are kept as SHA-256 hashes of
the random token the user holds, passwords as argon2id hashes. Personal data is
the account's email and nothing else (names live on the registry's parties).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text

from consentry.store.tables import UtcDateTime, metadata

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("party_id", String(64), ForeignKey("parties.id")),
    Column("org_id", String(64), ForeignKey("organisations.id")),
    Column("org_role", String(8)),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_accounts_org", "org_id"),
)

account_sessions = Table(
    "account_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Index("ix_account_sessions_account", "account_id"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("scopes", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime),
    Column("revoked_at", UtcDateTime),
    Index("ix_api_tokens_account", "account_id"),
)

# A CSRF token's nonce once it has been used: a second use is a replay.
csrf_spent = Table(
    "csrf_spent",
    metadata,
    Column("nonce", String(64), primary_key=True),
    Column("spent_at", UtcDateTime, nullable=False),
)

# Which party registered a work through the service (it confirms claims on it).
work_registrants = Table(
    "work_registrants",
    metadata,
    Column("work_id", String(64), ForeignKey("works.id"), primary_key=True),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
)

# A creator's claim to be one of a work's creators; once confirmed, the account
# acts for that party.
work_claims = Table(
    "work_claims",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("work_id", String(64), ForeignKey("works.id"), nullable=False),
    Column("account_id", String(64), ForeignKey("accounts.id"), nullable=False),
    Column("party_id", String(64), ForeignKey("parties.id"), nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime),
    Column("decided_by", String(64)),
    Index("ix_work_claims_work", "work_id"),
    Index("ix_work_claims_account", "account_id"),
)

__all__ = [
    "account_sessions",
    "accounts",
    "api_tokens",
    "csrf_spent",
    "metadata",
    "organisations",
    "work_claims",
    "work_registrants",
]
