"""A developer asks for the works its scan excluded: a request with its terms, from a scan page.

The works are the registered works the scan excluded as unlicensed or
unassured (:func:`consentry.actions.requests.create_request` with the kept
manifest); works refused before, or withheld, are left out as the rules say.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.requests import create_request
from consentry.actions.scan_results import scan_result, scans_dir
from consentry.domain import Use
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing.types import Terms
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.portal.fees_form import fee_terms_from_form
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
MAX_TEXT = 2000


def _text(form: dict[str, str], name: str) -> str:
    value = form.get(name, "").strip()
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{name} is too long (at most {MAX_TEXT} characters)")
    return value


def _date(value: str, what: str) -> datetime | None:
    """A date from a date box (``2027-01-01``) as the end of that day's start, UTC."""
    if not value:
        return None
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise InvalidInput(f"{what} {value[:20]!r} is not a date (YYYY-MM-DD)") from None
    return datetime.combine(day, time(0, 0), tzinfo=UTC)


def _list(value: str) -> frozenset[str]:
    return frozenset(p.strip() for p in value.split(",") if p.strip())


@router.post(
    "/scans/{dataset_id}/request",
    name="portal_scan_request",
    dependencies=[Depends(require_csrf)],
)
async def request_from_scan(request: Request, dataset_id: str, account: SignedIn) -> Response:
    """Send a request, on the terms in the form, for the works this scan excluded."""
    if account.kind != "developer" or account.party_id is None:
        raise Forbidden("requests are sent by developers")
    ws = workspace(request)
    root = service_settings(request).data_dir
    result = scan_result(ws, dataset_id, root=root)
    if result.version.developer_id != account.party_id:
        raise Forbidden("this scan belongs to another developer")
    raw = await request.form()
    form = {k: str(v) for k, v in raw.items() if isinstance(v, str)}
    try:
        uses = frozenset(Use(str(u)) for u in raw.getlist("uses"))
    except ValueError:
        raise InvalidInput("unknown use") from None
    terms = Terms(
        uses=uses,
        starts_at=datetime.now(UTC),
        ends_at=_date(form.get("ends", ""), "the end date"),
        models=_list(_text(form, "models")),
        territories=_list(_text(form, "territories")),
        purpose=_text(form, "purpose"),
        fee_terms=fee_terms_from_form(form),
        attribution=_text(form, "attribution") or None,
    )
    created = create_request(
        ws,
        account.party_id,
        terms,
        from_scan=scans_dir(ws, root) / result.version.id,
        answer_by=_date(form.get("answer_by", ""), "the answer date"),
    )
    return see_other(request, "portal_request", "request-sent", request_id=created.request.id)
