"""Sign up, sign in and sign out: forms that post to the service's auth functions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import RedirectResponse

from consentry.actions.accounts import Account, logout
from consentry.errors import ConsentryError, RateLimited
from consentry.service.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    login_from_request,
    require_csrf,
    service_settings,
    set_session_cookie,
    signup,
    workspace,
)
from consentry.service.portal.guard import PortalRoute, page_account
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)

KINDS = (
    ("creator", "A creator: a writer, artist, photographer, musician, performer..."),
    ("rightsholder", "A rightsholder: a publisher, label, agency or collecting society"),
    ("developer", "An AI developer"),
)

MaybeAccount = Annotated[Account | None, Depends(page_account)]


@router.get("/signup", name="portal_signup")
def signup_form(request: Request, account: MaybeAccount) -> Response:
    """The sign-up form."""
    return page(request, "signup.html", account, title="Create your account", kinds=KINDS)


@router.post("/signup", dependencies=[Depends(require_csrf)])
def signup_submit(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
    kind: Annotated[str, Form(max_length=20)] = "creator",
) -> Response:
    """Create the account (a creator, rightsholder or developer) and sign it in."""
    if kind not in {k for k, _ in KINDS}:
        kind = "creator"
    ws = workspace(request)
    try:
        signup(ws, email, password, kind, name)
        token = login_from_request(request, email, password)
    except ConsentryError as exc:
        return page(
            request,
            "signup.html",
            None,
            title="Create your account",
            status_code=429 if isinstance(exc, RateLimited) else 400,
            error=exc.message,
            hint=exc.hint,
            kinds=KINDS,
            name=name,
            email=email,
            kind=kind,
        )
    response = see_other(request, "portal_home", "welcome")
    set_session_cookie(response, token, service_settings(request))
    return response


@router.get("/login", name="portal_login")
def login_form(request: Request, account: MaybeAccount) -> Response:
    """The sign-in form."""
    target = _local(request.query_params.get("next"))
    note = "login-needed" if target and account is None else None
    return page(request, "login.html", account, title="Sign in", note=note, next=target)


@router.post("/login", dependencies=[Depends(require_csrf)])
def login_submit(
    request: Request,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Check the password, open a session and go where the user was going."""
    try:
        token = login_from_request(request, email, password)
    except ConsentryError as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        return page(
            request,
            "login.html",
            None,
            title="Sign in",
            status_code=status,
            error=exc.message,
            hint=exc.hint,
            email=email,
            next=_local(request.query_params.get("next")),
        )
    target = _local(request.query_params.get("next"))
    response: Response
    if target:
        response = RedirectResponse(target, status_code=303)
    else:
        response = see_other(request, "portal_home", "signed-in")
    set_session_cookie(response, token, service_settings(request))
    return response


@router.post("/logout", name="portal_logout", dependencies=[Depends(require_csrf)])
def logout_submit(request: Request) -> Response:
    """End the session on the server and remove its cookie."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        logout(workspace(request), token)
    response = see_other(request, "portal_home", "signed-out")
    clear_session_cookie(response, service_settings(request))
    return response


def _local(target: str | None) -> str | None:
    """``target`` when it is a path on this site (never another host: no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
