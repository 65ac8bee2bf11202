"""Who is calling: sessions, API tokens, CSRF tokens and the login rate limit.

Browsers hold a server-side session in the ``consentry_session`` cookie
(``Secure``, ``HttpOnly``, ``SameSite=Lax``); machine clients send
``Authorization: Bearer cst_...`` with a scoped API token (``read`` for GET,
``write`` for everything else). Every form post carries a CSRF token: an HMAC
over a fresh nonce, bound to the browser's ``consentry_browser`` cookie and to
its session, valid for ``csrf_ttl`` and for one use only (a replay is refused).
A cookie-authenticated write to ``/api`` must carry one in ``X-CSRF-Token``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time

from fastapi import Request, Response

from consentry.actions import accounts as account_actions
from consentry.actions.accounts import Account, signup
from consentry.actions.tokens import require_scope, spend_csrf_nonce, token_account
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden, RateLimited, Unauthenticated
from consentry.service.ratelimit import RateLimiter
from consentry.service.settings import ServiceSettings

SESSION_COOKIE = "consentry_session"
BROWSER_COOKIE = "consentry_browser"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

__all__ = [
    "BROWSER_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "Account",
    "clear_session_cookie",
    "csrf_token",
    "current_account",
    "login",
    "login_from_request",
    "optional_account",
    "require_csrf",
    "set_session_cookie",
    "signup",
    "workspace",
]


def workspace(request: Request) -> Workspace:
    """The application's workspace (one per app, opened by ``create_app``)."""
    ws: Workspace = request.app.state.ws
    return ws


def service_settings(request: Request) -> ServiceSettings:
    """The application's settings."""
    settings: ServiceSettings = request.app.state.settings
    return settings


def login(ws: Workspace, email: str, password: str) -> str:
    """Check the password and open a session; returns the token for the session cookie."""
    return account_actions.login(ws, email, password)


def login_from_request(request: Request, email: str, password: str) -> str:
    """:func:`login`, rate-limited per client address and per email (``RateLimited``)."""
    limiter: RateLimiter = request.app.state.login_limiter
    client = request.client.host if request.client else "unknown"
    by_email = "email:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()
    if not (limiter.allow("ip:" + client) and limiter.allow(by_email)):
        raise RateLimited("too many sign-in attempts", hint="wait a minute and try again")
    settings = service_settings(request)
    return account_actions.login(workspace(request), email, password, ttl=settings.session_ttl)


def set_session_cookie(response: Response, token: str, settings: ServiceSettings) -> None:
    """Put the session token in a Secure, HttpOnly, SameSite=Lax cookie."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(settings.session_ttl.total_seconds()),
        secure=settings.secure_cookies,
        httponly=True,
        samesite="lax",
        path="/",
    )


def clear_session_cookie(response: Response, settings: ServiceSettings) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(
        SESSION_COOKIE, secure=settings.secure_cookies, httponly=True, samesite="lax", path="/"
    )


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Unauthenticated("the Authorization header must be 'Bearer <API token>'")
    return value.strip()


def optional_account(request: Request) -> Account | None:
    """The caller's account, or None when anonymous or the session expired.

    An unknown, expired or revoked API token is still 401: a machine client
    that sent credentials must hear that they are wrong.
    """
    if getattr(request.state, "account_resolved", False):
        cached: Account | None = request.state.account
        return cached
    account = _resolve(request)
    request.state.account = account
    request.state.account_resolved = True
    return account


def current_account(request: Request) -> Account:
    """The caller's account; 401 (:class:`Unauthenticated`) when there is none."""
    account = optional_account(request)
    if account is None:
        if getattr(request.state, "session_expired", False):
            raise Unauthenticated("your session has expired; sign in again")
        raise Unauthenticated("sign in, or send an API token as 'Authorization: Bearer ...'")
    return account


def _resolve(request: Request) -> Account | None:
    ws = workspace(request)
    bearer = _bearer(request)
    if bearer is not None:
        found = token_account(ws, bearer)
        if found is None:
            raise Unauthenticated("the API token is unknown, expired or revoked")
        account, scopes = found
        require_scope(scopes, "read" if request.method in SAFE_METHODS else "write")
        return account
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    session = account_actions.session_account(ws, cookie)
    if session is None:
        request.state.session_expired = True  # current_account says so; public pages go on
        return None
    if request.method not in SAFE_METHODS and request.url.path.startswith("/api/"):
        check_csrf(request, request.headers.get(CSRF_HEADER))
    return session


def _browser_id(request: Request) -> str:
    given = request.cookies.get(BROWSER_COOKIE, "")
    if len(given) == 43 and given.replace("-", "").replace("_", "").isalnum():
        return given
    fresh: str | None = getattr(request.state, "new_browser_id", None)
    if fresh is None:
        fresh = secrets.token_urlsafe(32)
        request.state.new_browser_id = fresh  # the middleware sets the cookie
    return fresh


def _mac(request: Request, nonce: str, expires: int) -> str:
    settings = service_settings(request)
    session = request.cookies.get(SESSION_COOKIE, "-")
    message = f"{_browser_id(request)}|{session}|{nonce}|{expires}".encode()
    return hmac.new(settings.secret_key, message, hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """A fresh one-use CSRF token for a form on this page (put it in ``csrf_token``)."""
    settings = service_settings(request)
    nonce = secrets.token_hex(16)
    expires = int(time.time() + settings.csrf_ttl.total_seconds())
    return f"{nonce}.{expires}.{_mac(request, nonce, expires)}"


def check_csrf(request: Request, token: str | None) -> None:
    """:class:`Forbidden` unless ``token`` is a valid, unexpired, unused CSRF token."""
    if not token:
        raise Forbidden("this form is missing its CSRF token; reload the page and try again")
    nonce, _, rest = token.partition(".")
    expires_text, _, mac = rest.partition(".")
    if not expires_text.isdigit() or len(nonce) != 32:
        raise Forbidden("the CSRF token is malformed; reload the page and try again")
    expires = int(expires_text)
    if not hmac.compare_digest(mac, _mac(request, nonce, expires)):
        raise Forbidden("the CSRF token does not belong to this session; reload the page")
    if expires < time.time():
        raise Forbidden("the form has expired; reload the page and try again")
    if not spend_csrf_nonce(workspace(request), nonce):
        raise Forbidden("this form was already submitted (the CSRF token was used before)")


async def require_csrf(request: Request) -> None:
    """Dependency for form posts: the ``csrf_token`` field (or ``X-CSRF-Token``) must check."""
    token = request.headers.get(CSRF_HEADER)
    if token is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        token = value if isinstance(value, str) else None
    check_csrf(request, token)
