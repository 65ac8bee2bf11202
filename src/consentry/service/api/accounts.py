"""Accounts: sign up, sign in and out, the signed-in account, API tokens, export and deletion."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions import accounts as actions
from consentry.actions import tokens
from consentry.service.api.bodies import (
    AccountOut,
    DeleteAccountIn,
    LoginIn,
    MemberIn,
    SignupIn,
    TokenIn,
    TokenIssuedOut,
    TokenOut,
)
from consentry.service.auth import (
    Account,
    clear_session_cookie,
    csrf_token,
    current_account,
    login_from_request,
    service_settings,
    set_session_cookie,
    workspace,
)

router = APIRouter(tags=["accounts"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/accounts", status_code=201, response_model=AccountOut)
def sign_up(body: SignupIn, request: Request) -> AccountOut:
    """Create a creator, rightsholder or developer account (administrators are made offline)."""
    account = actions.signup(workspace(request), body.email, body.password, body.kind, body.name)
    return AccountOut.of(account)


@router.post("/session", status_code=204, response_class=Response)
def sign_in(body: LoginIn, request: Request, response: Response) -> Response:
    """Sign in: sets the session cookie (rate-limited per address and per email)."""
    token = login_from_request(request, body.email, body.password)
    set_session_cookie(response, token, service_settings(request))
    response.status_code = 204
    return response


@router.delete("/session", status_code=204, response_class=Response)
def sign_out(request: Request, response: Response) -> Response:
    """Sign out: ends the server-side session and clears the cookie."""
    token = request.cookies.get("consentry_session")
    if token:
        actions.logout(workspace(request), token)
    clear_session_cookie(response, service_settings(request))
    response.status_code = 204
    return response


@router.get("/csrf")
def csrf(request: Request) -> dict[str, str]:
    """A one-use CSRF token: send it as ``X-CSRF-Token`` with a cookie-authenticated write."""
    return {"csrf_token": csrf_token(request)}


@router.get("/me", response_model=AccountOut)
def me(account: Me) -> AccountOut:
    """The signed-in account."""
    return AccountOut.of(account)


@router.get("/me/export")
def export(account: Me, request: Request) -> dict[str, Any]:
    """Everything consentry keeps about you, as JSON."""
    return actions.export_account(workspace(request), account)


@router.post("/me/delete", status_code=204, response_class=Response)
def delete(body: DeleteAccountIn, account: Me, request: Request) -> Response:
    """Delete your account (confirm with your password); registry records stay."""
    actions.delete_account(workspace(request), account, body.password)
    response = Response(status_code=204)
    clear_session_cookie(response, service_settings(request))
    return response


@router.post("/me/members", status_code=201, response_model=AccountOut)
def add_member(body: MemberIn, account: Me, request: Request) -> AccountOut:
    """An organisation's owner adds a member account."""
    return AccountOut.of(actions.add_member(workspace(request), account, body.email, body.password))


@router.post("/me/tokens", status_code=201, response_model=TokenIssuedOut)
def issue(body: TokenIn, account: Me, request: Request) -> TokenIssuedOut:
    """Issue an API token; its secret is in this response and never shown again."""
    issued = tokens.issue_token(
        workspace(request), account, body.name, body.scopes, expires_at=body.expires_at
    )
    return TokenIssuedOut(secret=issued.secret, token=TokenOut.of(issued.token))


@router.get("/me/tokens", response_model=list[TokenOut])
def list_tokens(account: Me, request: Request) -> list[TokenOut]:
    """Your API tokens (never their secrets)."""
    return [TokenOut.of(t) for t in tokens.list_tokens(workspace(request), account)]


@router.delete("/me/tokens/{token_id}", response_model=TokenOut)
def revoke(token_id: str, account: Me, request: Request) -> TokenOut:
    """Revoke one of your API tokens from now on."""
    return TokenOut.of(tokens.revoke_token(workspace(request), account, token_id))
