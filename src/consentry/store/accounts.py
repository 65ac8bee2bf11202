"""Accounts, organisations, sessions, API tokens, spent CSRF nonces and work claims.

A store over one connection (the caller's unit of work). It keeps rows, not
rules: who may do what is decided in :mod:`consentry.actions.accounts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from consentry.errors import NotFound
from consentry.store.tables_accounts import (
    account_sessions,
    accounts,
    api_tokens,
    csrf_spent,
    organisations,
    work_claims,
    work_registrants,
)


class AccountStore:
    """Rows of the account tables, inside the caller's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # -- organisations and accounts --------------------------------------------------
    def add_organisation(self, org_id: str, party_id: str, kind: str, at: datetime) -> None:
        """Insert an organisation standing for a registry party."""
        self.conn.execute(
            insert(organisations).values(id=org_id, party_id=party_id, kind=kind, created_at=at)
        )

    def add_account(self, row: Mapping[str, Any]) -> None:
        """Insert an account (``row`` holds every column of ``accounts``)."""
        self.conn.execute(insert(accounts).values(**row))

    def email_taken(self, email: str) -> bool:
        """True when an account already uses this (normalised) email."""
        query = select(func.count()).select_from(accounts).where(accounts.c.email == email)
        return bool(self.conn.execute(query).scalar_one())

    def account_row(self, account_id: str) -> RowMapping:
        """The account's row, or :class:`NotFound`."""
        row = self.conn.execute(select(accounts).where(accounts.c.id == account_id)).mappings()
        found = row.first()
        if found is None:
            raise NotFound(f"no account {account_id!r}")
        return found

    def account_by_email(self, email: str) -> RowMapping | None:
        """The account's row for this email, or None."""
        query = select(accounts).where(accounts.c.email == email)
        return self.conn.execute(query).mappings().first()

    def org_members(self, org_id: str) -> list[RowMapping]:
        """Every account of an organisation, oldest first."""
        query = select(accounts).where(accounts.c.org_id == org_id).order_by(accounts.c.created_at)
        return list(self.conn.execute(query).mappings())

    def set_password_hash(self, account_id: str, password_hash: str) -> None:
        """Replace the stored password hash (after a rehash or a change)."""
        self.conn.execute(
            update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
        )

    def delete_account(self, account_id: str) -> None:
        """Remove the account with its sessions, tokens and claims."""
        for table in (account_sessions, api_tokens, work_claims):
            self.conn.execute(delete(table).where(table.c.account_id == account_id))
        self.conn.execute(delete(accounts).where(accounts.c.id == account_id))

    # -- sessions ----------------------------------------------------------------------
    def add_session(
        self, token_hash: str, account_id: str, created_at: datetime, expires_at: datetime
    ) -> None:
        """Insert a server-side session, keyed by the hash of its cookie value."""
        self.conn.execute(
            insert(account_sessions).values(
                token_hash=token_hash,
                account_id=account_id,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def session_account(self, token_hash: str, now: datetime) -> str | None:
        """The account id of an unexpired session, or None."""
        query = select(account_sessions.c.account_id).where(
            account_sessions.c.token_hash == token_hash, account_sessions.c.expires_at > now
        )
        return self.conn.execute(query).scalar_one_or_none()

    def delete_session(self, token_hash: str) -> None:
        """End one session."""
        self.conn.execute(
            delete(account_sessions).where(account_sessions.c.token_hash == token_hash)
        )

    def purge_sessions(self, now: datetime) -> None:
        """Forget every expired session."""
        self.conn.execute(delete(account_sessions).where(account_sessions.c.expires_at <= now))

    # -- API tokens --------------------------------------------------------------------
    def add_token(self, row: Mapping[str, Any]) -> None:
        """Insert an API token (its hash, never the token)."""
        self.conn.execute(insert(api_tokens).values(**row))

    def token_row(self, token_hash: str) -> RowMapping | None:
        """The token's row for this hash, or None."""
        query = select(api_tokens).where(api_tokens.c.token_hash == token_hash)
        return self.conn.execute(query).mappings().first()

    def tokens_of(self, account_id: str) -> list[RowMapping]:
        """An account's tokens, oldest first."""
        query = (
            select(api_tokens)
            .where(api_tokens.c.account_id == account_id)
            .order_by(api_tokens.c.created_at, api_tokens.c.id)
        )
        return list(self.conn.execute(query).mappings())

    def revoke_token(self, token_id: str, at: datetime) -> None:
        """Mark a token revoked from ``at`` on."""
        self.conn.execute(
            update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=at)
        )

    # -- CSRF nonces -------------------------------------------------------------------
    def spend_nonce(self, nonce: str, at: datetime) -> bool:
        """Record a CSRF nonce as used; False when it was used before (a replay)."""
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(csrf_spent).values(nonce=nonce, spent_at=at))
        except IntegrityError:
            return False
        return True

    def purge_nonces(self, before: datetime) -> None:
        """Forget nonces spent before ``before`` (their tokens have expired anyway)."""
        self.conn.execute(delete(csrf_spent).where(csrf_spent.c.spent_at < before))

    # -- registrants and claims --------------------------------------------------------
    def add_registrant(self, work_id: str, party_id: str) -> None:
        """Remember which party registered a work through the service."""
        self.conn.execute(insert(work_registrants).values(work_id=work_id, party_id=party_id))

    def registrant_of(self, work_id: str) -> str | None:
        """The party that registered the work through the service, if any."""
        query = select(work_registrants.c.party_id).where(work_registrants.c.work_id == work_id)
        return self.conn.execute(query).scalar_one_or_none()

    def works_registered_by(self, party_id: str) -> list[str]:
        """The works a party registered through the service."""
        query = select(work_registrants.c.work_id).where(work_registrants.c.party_id == party_id)
        return list(self.conn.execute(query).scalars())

    def add_claim(self, row: Mapping[str, Any]) -> None:
        """Insert a pending claim."""
        self.conn.execute(insert(work_claims).values(**row))

    def claim_row(self, claim_id: str) -> RowMapping:
        """The claim's row, or :class:`NotFound`."""
        found = self.conn.execute(select(work_claims).where(work_claims.c.id == claim_id))
        row = found.mappings().first()
        if row is None:
            raise NotFound(f"no claim {claim_id!r}")
        return row

    def claims(
        self, *, account_id: str | None = None, work_ids: list[str] | None = None
    ) -> list[RowMapping]:
        """Claims by an account, or on some works, oldest first."""
        query = select(work_claims).order_by(work_claims.c.created_at, work_claims.c.id)
        if account_id is not None:
            query = query.where(work_claims.c.account_id == account_id)
        if work_ids is not None:
            query = query.where(work_claims.c.work_id.in_(work_ids))
        return list(self.conn.execute(query).mappings())

    def decide_claim(self, claim_id: str, status: str, at: datetime, by: str) -> bool:
        """Confirm or refuse a claim if it is still pending; False when it no longer was."""
        changed = self.conn.execute(
            update(work_claims)
            .where(work_claims.c.id == claim_id, work_claims.c.status == "pending")
            .values(status=status, decided_at=at, decided_by=by)
        )
        return changed.rowcount == 1

    def claimed_parties(self, account_id: str) -> list[str]:
        """The parties an account acts for through confirmed claims."""
        query = select(work_claims.c.party_id).where(
            work_claims.c.account_id == account_id, work_claims.c.status == "confirmed"
        )
        return sorted(set(self.conn.execute(query).scalars()))
