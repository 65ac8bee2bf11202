"""The portal's route class: errors become pages, not JSON.

A page that needs an account and finds none (or finds an expired session)
redirects to the sign-in page; a refused action (``Forbidden``, a replayed
CSRF token) gets a 403 page; a user's mistake (any other
:class:`~consentry.errors.ConsentryError`) a 400 page (404 for ``NotFound``)
saying what went wrong and what to do next. The API keeps its own JSON errors.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.routing import APIRoute

from consentry.actions.accounts import Account
from consentry.errors import ConsentryError, Forbidden, NotFound, RateLimited, Unauthenticated
from consentry.service.auth import SESSION_COOKIE, optional_account
from consentry.service.portal.render import page

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class LoginRequired(Unauthenticated):
    """A page for signed-in users was opened without a session."""


def page_account(request: Request) -> Account | None:
    """The signed-in account, or None; an expired session sends the browser to sign in."""
    return optional_account(request)


def signed_in(request: Request) -> Account:
    """The signed-in account; without one, the browser is sent to sign in."""
    account = optional_account(request)
    if account is None:
        raise LoginRequired("sign in first")
    return account


class PortalRoute(APIRoute):
    """An :class:`APIRoute` whose errors are rendered as pages (see the module docstring)."""

    def get_route_handler(self) -> Handler:
        """Wrap the handler FastAPI builds so that user errors become pages."""
        inner = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                return await inner(request)
            except Unauthenticated:
                target = request.url_for("portal_login").path
                back = quote(request.url.path, safe="/")
                response = RedirectResponse(f"{target}?next={back}", status_code=303)
                if request.cookies.get(SESSION_COOKIE):
                    response.delete_cookie(SESSION_COOKIE, path="/")
                return response
            except ConsentryError as exc:
                return _error_page(request, exc)

        return handler


def _error_page(request: Request, exc: ConsentryError) -> Response:
    status = 400
    if isinstance(exc, Forbidden):
        status = 403
    elif isinstance(exc, NotFound):
        status = 404
    elif isinstance(exc, RateLimited):
        status = 429
    try:
        account = optional_account(request)
    except Unauthenticated:
        account = None
    return page(
        request,
        "error.html",
        account,
        title="That did not work",
        status_code=status,
        error=exc.message,
        hint=exc.hint,
    )
