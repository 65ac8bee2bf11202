"""Accounts of the service: sign up, sign in, sessions, API tokens, export and deletion.

Creators, rightsholders and developers each stand for a registry party (a
rightsholder or developer account belongs to an organisation, whose members
share its party); administrators stand for none. Passwords are argon2id
hashes; session and API tokens are random and stored only as SHA-256 hashes,
so a copy of the database holds no usable secret. The only personal datum is
the email, which the owner can export and delete.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import RowMapping

from consentry.actions.ids import new_id
from consentry.actions.workspace import Workspace
from consentry.domain import Party, PartyKind
from consentry.errors import ConflictError, Forbidden, InvalidInput, NotFound, Unauthenticated
from consentry.store import Registry
from consentry.store.accounts import AccountStore
from consentry.store.jobs import LIVE, JobStore

SESSION_TTL = timedelta(hours=12)
MIN_PASSWORD, MAX_PASSWORD = 10, 1024
_EMAIL = re.compile(r"^[^@\s<>\"']{1,64}@[^@\s<>\"']+\.[^@\s<>\"']+$")
# argon2id with argon2-cffi's defaults (RFC 9106's low-memory profile); tests swap in a
# cheaper one. A hash records its parameters, so stronger ones can come later (rehash on login).
HASHER = PasswordHasher()
_dummy: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash to check against when the email is unknown, so both paths take the same time."""
    key = id(HASHER)
    if key not in _dummy:
        _dummy[key] = HASHER.hash("consentry-no-such-account")
    return _dummy[key]


class AccountKind(StrEnum):
    """Who an account is: the three sides of a clearance, and the administrators."""

    CREATOR = "creator"
    RIGHTSHOLDER = "rightsholder"
    DEVELOPER = "developer"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class Account:
    """A signed-in user. ``acts_for`` holds the parties it may answer for.

    ``party_id`` is its own party (the organisation's, for a member of one);
    ``acts_for`` adds the parties of confirmed claims.
    """

    id: str
    email: str
    kind: str
    party_id: str | None
    org_id: str | None
    org_role: str | None = None
    acts_for: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_admin(self) -> bool:
        """True for administrators."""
        return self.kind == AccountKind.ADMINISTRATOR


def hash_secret(token: str) -> str:
    """How a session or API token is stored: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    """Trimmed, lower-cased and checked (``InvalidInput`` when it is not an address)."""
    cleaned = email.strip().lower()
    if len(cleaned) > 320 or not _EMAIL.match(cleaned):
        raise InvalidInput("that is not an email address", hint="give an address like a@b.org")
    return cleaned


def _check_password(password: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"a password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters",
            hint="a few unrelated words make a long password that is easy to remember",
        )


def load_account(store: AccountStore, account_id: str) -> Account:
    """The account with the parties it acts for."""
    row = store.account_row(account_id)
    own = {row["party_id"]} if row["party_id"] else set()
    return Account(
        id=row["id"],
        email=row["email"],
        kind=row["kind"],
        party_id=row["party_id"],
        org_id=row["org_id"],
        org_role=row["org_role"],
        acts_for=frozenset(own | set(store.claimed_parties(account_id))),
    )


def signup(ws: Workspace, email: str, password: str, kind: str, name: str) -> Account:
    """Create an account; a creator, rightsholder or developer gets a new registry party.

    A rightsholder or developer account founds an organisation named ``name``
    (its owner); a creator account's party is the creator ``name``.
    """
    account_kind = _kind(kind)
    address = normalise_email(email)
    _check_password(password)
    clean_name = name.strip()
    if account_kind is not AccountKind.ADMINISTRATOR and not 0 < len(clean_name) <= 200:
        raise InvalidInput("a name needs 1 to 200 characters")
    password_hash = HASHER.hash(password)
    at = ws.now()
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        if store.email_taken(address):
            raise InvalidInput("an account with that email exists", hint="sign in instead")
        party_id, org_id, role = _party_for(registry, store, account_kind, clean_name, at)
        account_id = new_id("acc")
        store.add_account(
            {
                "id": account_id,
                "email": address,
                "password_hash": password_hash,
                "kind": account_kind.value,
                "party_id": party_id,
                "org_id": org_id,
                "org_role": role,
                "created_at": at,
            }
        )
        return load_account(store, account_id)


def _kind(kind: str) -> AccountKind:
    try:
        return AccountKind(kind)
    except ValueError:
        raise InvalidInput(
            f"unknown account kind {kind!r}",
            hint="creator, rightsholder, developer or administrator",
        ) from None


def _party_for(
    registry: Registry, store: AccountStore, kind: AccountKind, name: str, at: datetime
) -> tuple[str | None, str | None, str | None]:
    if kind is AccountKind.ADMINISTRATOR:
        return None, None, None
    party = Party(new_id("p"), name, PartyKind(kind.value))
    registry.add_party(party)
    if kind is AccountKind.CREATOR:
        return party.id, None, None
    org_id = new_id("org")
    store.add_organisation(org_id, party.id, kind.value, at)
    return party.id, org_id, "owner"


def add_member(ws: Workspace, owner: Account, email: str, password: str) -> Account:
    """An organisation's owner adds a member, who acts for the organisation's party."""
    if owner.org_id is None or owner.org_role != "owner":
        raise Forbidden("only an organisation's owner can add members")
    address = normalise_email(email)
    _check_password(password)
    password_hash = HASHER.hash(password)
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        if store.email_taken(address):
            raise InvalidInput("an account with that email exists")
        account_id = new_id("acc")
        store.add_account(
            {
                "id": account_id,
                "email": address,
                "password_hash": password_hash,
                "kind": owner.kind,
                "party_id": owner.party_id,
                "org_id": owner.org_id,
                "org_role": "member",
                "created_at": ws.now(),
            }
        )
        return load_account(store, account_id)


def login(ws: Workspace, email: str, password: str, *, ttl: timedelta = SESSION_TTL) -> str:
    """Check the password and open a server-side session; returns the session token."""
    try:
        address = normalise_email(email)
    except InvalidInput:
        address = ""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.account_by_email(address) if address else None
        stored = row["password_hash"] if row is not None else _dummy_hash()
        if not _verify(stored, password) or row is None:
            raise Unauthenticated("wrong email or password")
        if HASHER.check_needs_rehash(stored):
            store.set_password_hash(row["id"], HASHER.hash(password))
        token = secrets.token_urlsafe(32)
        now = ws.now()
        store.purge_sessions(now)
        store.add_session(hash_secret(token), row["id"], now, now + ttl)
    return token


def _verify(stored: str, password: str) -> bool:
    try:
        return HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def logout(ws: Workspace, token: str) -> None:
    """End the session (no error when it has already ended)."""
    with ws.transaction() as registry:
        AccountStore(registry.conn).delete_session(hash_secret(token))


def session_account(ws: Workspace, token: str) -> Account | None:
    """The account of an unexpired session, or None."""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        account_id = store.session_account(hash_secret(token), ws.now())
        return None if account_id is None else load_account(store, account_id)


def get_account(ws: Workspace, account_id: str) -> Account:
    """One account, with the parties it acts for."""
    with ws.transaction() as registry:
        return load_account(AccountStore(registry.conn), account_id)


def export_account(ws: Workspace, account: Account) -> dict[str, Any]:
    """Everything consentry holds about the account's person, as plain JSON data."""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.account_row(account.id)
        party = registry.get_party(account.party_id) if account.party_id else None
        tokens = store.tokens_of(account.id)
        claims = store.claims(account_id=account.id)
        jobs = JobStore(registry.conn).of(owner_account=account.id)
    return {
        "account": {k: _plain(row[k]) for k in ("id", "email", "kind", "org_id", "created_at")},
        "party": None if party is None else {"id": party.id, "name": party.name},
        "api_tokens": [
            _row(t, ("id", "name", "scopes", "created_at", "revoked_at")) for t in tokens
        ],
        "claims": [_row(c, ("id", "work_id", "party_id", "status", "created_at")) for c in claims],
        "jobs": [
            {k: _plain(getattr(j, k)) for k in ("id", "kind", "status", "created_at")} for j in jobs
        ],
    }


def _row(row: RowMapping, keys: Iterable[str]) -> dict[str, Any]:
    return {k: _plain(row[k]) for k in keys}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def delete_account(ws: Workspace, account: Account, password: str) -> None:
    """Delete the account, its sessions, tokens, claims and jobs (the password confirms it).

    The registry party stays: works and the evidence log refer to it, and the
    log holds its id only, never the email. An account with a job still queued
    or running is not deleted until the job ends (the job would outlive it).
    """
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.account_row(account.id)
        if not _verify(row["password_hash"], password):
            raise Forbidden("the password does not match; the account was not deleted")
        if row["org_role"] == "owner" and len(store.org_members(row["org_id"])) > 1:
            raise InvalidInput("an owner cannot leave members behind; remove them first")
        job_store = JobStore(registry.conn)
        if any(job.status in LIVE for job in job_store.of(owner_account=account.id)):
            raise ConflictError(
                "a background job of this account is still queued or running",
                hint="wait for it to end (see /jobs), then delete the account",
            )
        job_store.delete_of(account.id)
        store.delete_account(account.id)


def require_account(account: Account | None) -> Account:
    """``account``, or :class:`Unauthenticated` when there is none."""
    if account is None:
        raise Unauthenticated("sign in first")
    return account


def find_account(ws: Workspace, email: str) -> Account:
    """The account with this email, or :class:`NotFound`."""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.account_by_email(normalise_email(email))
        if row is None:
            raise NotFound("no account with that email")
        return load_account(store, row["id"])
