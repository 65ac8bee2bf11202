"""Rendering portal pages: one Jinja2 environment (autoescaping on), one page helper.

Every page gets the signed-in account (or None), a fresh one-use CSRF token
for its forms, and an optional note or error. Notes after a redirect are
named by a short key in the query string (``?note=saved``) and looked up in
:data:`NOTES`, so no text from a URL is ever echoed into a page.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.routing import NoMatchFound

from consentry.actions.accounts import Account
from consentry.service.auth import csrf_token

_ENV = Environment(
    loader=PackageLoader("consentry.service.portal", "templates"),
    autoescape=select_autoescape(("html",), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
TEMPLATES = Jinja2Templates(env=_ENV)

NOTES = {
    "welcome": "Your account is ready. Welcome to consentry.",
    "signed-in": "You are signed in.",
    "signed-out": "You are signed out.",
    "registered": "The work is registered. Nobody may use it until you say so.",
    "consent-saved": "Your answers are saved and recorded in the evidence log.",
    "withdrawn": "Your consent is withdrawn for every use; it is recorded in the evidence log.",
    "imported": "The catalogue is imported.",
    "scanned": "The scan is complete.",
    "answered": "Your answer is recorded.",
    "login-needed": "Please sign in to continue.",
    "request-sent": "The request is sent: every creator and rightsholder of each work is asked.",
    "counter-accept": "You accepted the other terms; the work's other parties are asked again.",
    "counter-refuse": "You refused the other terms; the work stays on your request's terms.",
    "request-withdrawn": "The request is withdrawn; licences already in force stay.",
    "complaint-filed": "Your complaint is filed and recorded; the developer must answer it.",
    "complaint-answered": "Your answer is recorded.",
    "complaint-escalated": "The complaint is with an administrator now.",
    "complaint-resolved": "The complaint is closed.",
    "payment-recorded": "The payment is recorded.",
    "report-published": "The report is published; anyone can read it on the public reports page.",
}


def page(
    request: Request,
    template: str,
    account: Account | None,
    *,
    title: str,
    status_code: int = 200,
    error: str | None = None,
    hint: str | None = None,
    note: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """Render ``template`` with the account, a CSRF token and the page's own values.

    ``note`` names an entry of :data:`NOTES`; without it the ``note`` query key does.
    """
    note_key = note or request.query_params.get("note", "")
    values: dict[str, Any] = {
        "title": title,
        "account": account,
        "csrf": csrf_token(request),
        "note": NOTES.get(note_key),
        "error": error,
        "hint": hint,
        "extra_nav": extra_nav(request, account),
        **context,
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def extra_nav(request: Request, account: Account | None) -> list[dict[str, str]]:
    """Links to pages that exist only when their capability does (requests, statements...)."""
    if account is None:
        return []
    links: list[dict[str, str]] = []
    for name, label in (
        ("portal_requests", "Requests"),
        ("portal_complaints", "Complaints"),
        ("portal_statements", "Statements"),
    ):
        try:
            links.append({"url": request.url_for(name).path, "label": label})
        except NoMatchFound:
            continue
    return links


def see_other(
    request: Request, route: str, note: str | None = None, **params: str
) -> RedirectResponse:
    """A 303 redirect to a named portal page, with an optional note key."""
    url = request.url_for(route, **params).path
    if note:
        url += f"?note={note}"
    return RedirectResponse(url, status_code=303)
