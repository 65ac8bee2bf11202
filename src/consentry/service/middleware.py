"""One pure-ASGI middleware for what every response needs, kept cheap for the hot lookup path.

- rate limits: ``/api/v1/lookup`` has its own (higher) limit, the rest of
  ``/api`` the configured API limit, per API token or client address (429);
- body limits: a request body over the limit is refused with 413 as soon as it
  is known (from ``Content-Length``, or while it streams in), before any of it
  is stored;
- the browser cookie a CSRF token is bound to, set when a page issued one;
- security headers on every response (no sniffing, no framing, no referrer
  leaks, a strict content security policy).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from consentry.service.auth import BROWSER_COOKIE
from consentry.service.ratelimit import RateLimiter
from consentry.service.settings import ServiceSettings

LOOKUP_PATH = "/api/v1/lookup"
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
]


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is over the limit of {limit:,} bytes")


class ServiceMiddleware:
    """Rate limits, body limits, the CSRF browser cookie and security headers."""

    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.settings = settings
        self.api_limiter = RateLimiter(settings.api_rate_per_minute)
        self.lookup_limiter = RateLimiter(settings.lookup_rate_per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limiter = self.lookup_limiter if path == LOOKUP_PATH else self.api_limiter
        if path.startswith("/api/") and limiter.enabled and not limiter.allow(_client(scope)):
            await _error(send, 429, "too many requests; slow down", limiter.retry_after())
            return
        limit = self._body_limit(scope)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _error(send, 413, f"the request body is over the limit of {limit:,} bytes")
            return
        started = False
        state: dict[str, Any] = scope.setdefault("state", {})

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["_body_seen"] = state.get("_body_seen", 0) + len(message.get("body", b""))
                if state["_body_seen"] > limit:
                    raise BodyTooLarge(limit)
            return message

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers += _HEADERS
                fresh = state.get("new_browser_id")
                if fresh:
                    headers.append((b"set-cookie", self._browser_cookie(fresh)))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_headers)
        except BodyTooLarge:
            if started:
                raise
            await _error(send, 413, f"the request body is over the limit of {limit:,} bytes")

    def _body_limit(self, scope: Scope) -> int:
        for name, value in scope["headers"]:
            if name == b"content-type" and value.startswith(b"multipart/"):
                return self.settings.max_upload_bytes
        return self.settings.max_json_bytes

    def _browser_cookie(self, value: str) -> bytes:
        secure = "; Secure" if self.settings.secure_cookies else ""
        return f"{BROWSER_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax{secure}".encode()


def _client(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"authorization":
            return "tok:" + hashlib.sha256(value).hexdigest()
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


def _content_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _error(send: Send, status: int, message: str, retry_after: int = 0) -> None:
    body = json.dumps({"error": message, "status": status}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers + _HEADERS})
    await send({"type": "http.response.body", "body": body})
