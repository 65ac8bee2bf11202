"""API tokens for machine clients (scoped, revocable, shown once, stored hashed) and CSRF nonces.

A token is ``cst_`` and 43 random URL-safe characters; the registry keeps its
SHA-256 only, so the token is shown once, when issued, and never again.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import RowMapping

from consentry.actions.accounts import Account, hash_secret, load_account
from consentry.actions.ids import new_id
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden, InvalidInput, NotFound
from consentry.store.accounts import AccountStore

SCOPES = frozenset({"read", "write"})
TOKEN_PREFIX = "cst_"  # noqa: S105 (a prefix, not a secret)
CSRF_NONCE_TTL = timedelta(days=2)


@dataclass(frozen=True)
class ApiToken:
    """What is kept about an API token: never the token itself."""

    id: str
    name: str
    scopes: frozenset[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


@dataclass(frozen=True)
class IssuedToken:
    """A new token (``secret`` is shown to its owner once) and what is kept of it."""

    secret: str
    token: ApiToken


def issue_token(
    ws: Workspace,
    account: Account,
    name: str,
    scopes: Iterable[str],
    *,
    expires_at: datetime | None = None,
) -> IssuedToken:
    """Issue an API token for the account with the given scopes (``read``, ``write``)."""
    wanted = frozenset(scopes)
    if not wanted or not wanted <= SCOPES:
        raise InvalidInput(f"scopes must be some of {sorted(SCOPES)}, not {sorted(wanted)}")
    if not 0 < len(name.strip()) <= 200:
        raise InvalidInput("a token needs a name of 1 to 200 characters")
    now = ws.now()
    if expires_at is not None and expires_at <= now:
        raise InvalidInput("the token would expire before it is issued")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(new_id("tok"), name.strip(), wanted, now, expires_at, None)
    with ws.transaction() as registry:
        AccountStore(registry.conn).add_token(
            {
                "id": token.id,
                "account_id": account.id,
                "name": token.name,
                "token_hash": hash_secret(secret),
                "scopes": " ".join(sorted(wanted)),
                "created_at": now,
                "expires_at": expires_at,
                "revoked_at": None,
            }
        )
    return IssuedToken(secret, token)


def list_tokens(ws: Workspace, account: Account) -> list[ApiToken]:
    """The account's tokens, revoked ones included, oldest first."""
    with ws.transaction() as registry:
        return [_token(r) for r in AccountStore(registry.conn).tokens_of(account.id)]


def revoke_token(ws: Workspace, account: Account, token_id: str) -> ApiToken:
    """Revoke one of the account's own tokens from now on."""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        rows = {r["id"]: r for r in store.tokens_of(account.id)}
        if token_id not in rows:
            raise NotFound(f"no token {token_id!r} of yours")
        store.revoke_token(token_id, ws.now())
        return _token(store.tokens_of(account.id)[list(rows).index(token_id)])


def token_account(ws: Workspace, secret: str) -> tuple[Account, frozenset[str]] | None:
    """The account and scopes of a valid (unexpired, unrevoked) token, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = ws.now()
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.token_row(hash_secret(secret))
        if row is None or row["revoked_at"] is not None:
            return None
        if row["expires_at"] is not None and row["expires_at"] <= now:
            return None
        return load_account(store, row["account_id"]), _token(row).scopes


def require_scope(scopes: frozenset[str], needed: str) -> None:
    """:class:`Forbidden` unless ``needed`` is among the token's scopes."""
    if needed not in scopes:
        raise Forbidden(f"this API token lacks the {needed!r} scope")


def spend_csrf_nonce(ws: Workspace, nonce: str) -> bool:
    """Mark a CSRF token's nonce used; False when it was used before (a replay)."""
    now = ws.now()
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        store.purge_nonces(now - CSRF_NONCE_TTL)
        return store.spend_nonce(nonce, now)


def _token(row: RowMapping) -> ApiToken:
    return ApiToken(
        id=row["id"],
        name=row["name"],
        scopes=frozenset(str(row["scopes"]).split()),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )
