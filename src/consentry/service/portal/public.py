"""Pages anyone may open: the start page, the evidence log, and the portal's stylesheet."""

from __future__ import annotations

from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions import log as log_actions
from consentry.actions.accounts import Account
from consentry.errors import NotFound
from consentry.service.auth import workspace
from consentry.service.portal.guard import PortalRoute, page_account
from consentry.service.portal.render import page

router = APIRouter(route_class=PortalRoute)
MaybeAccount = Annotated[Account | None, Depends(page_account)]
LATEST = 20
_STATIC = {"portal.css": "text/css; charset=utf-8"}


@router.get("/", name="portal_home")
def home(request: Request, account: MaybeAccount) -> Response:
    """The start page: what consentry does, or where to go next when signed in."""
    return page(request, "home.html", account, title="Consent for AI, work by work")


@router.get("/static/{name}", name="portal_static")
def static(name: str) -> Response:
    """The portal's stylesheet (a fixed list of files: no path is ever read from the URL)."""
    if name not in _STATIC:
        raise NotFound(f"no static file {name!r}")
    data = resources.files("consentry.service.portal").joinpath("static", name).read_bytes()
    return Response(
        data, media_type=_STATIC[name], headers={"Cache-Control": "public, max-age=3600"}
    )


@router.get("/log", name="portal_log")
def log_page(request: Request, account: MaybeAccount) -> Response:
    """The log's latest signed checkpoint, its verifier key and its newest entries."""
    ws = workspace(request)
    note = log_actions.checkpoint(ws)
    size = int(note.splitlines()[1])
    newest = log_actions.entries(ws, max(0, size - LATEST), LATEST)
    rows = [
        {
            "position": e.position,
            "type": e.type,
            "recorded_at": e.recorded_at,
            "leaf": e.leaf_hash.hex(),
            "body": e.body.decode("utf-8", "replace"),
        }
        for e in reversed(newest)
    ]
    return page(
        request,
        "log.html",
        account,
        title="The evidence log",
        checkpoint=note,
        size=size,
        key=log_actions.public_key(ws),
        entries=rows,
    )
