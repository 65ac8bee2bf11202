"""Creators' and rightsholders' works: list, register, consent per use, withdraw.

Every change goes through an action (``add_work``, ``register_unseen``,
``set_consent``), which checks it and writes its log entry; the pages only
parse forms, say who is asking, and show the result in plain words.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile

from consentry.actions.accounts import Account
from consentry.actions.catalogue import (
    USES,
    WorkConsent,
    party_works,
    register_unseen,
    work_consent,
)
from consentry.actions.consent import set_consent
from consentry.actions.inbox import work_ledger_uses, work_removals
from consentry.actions.parties import get_party
from consentry.actions.scan_results import safe_file_name, work_usage
from consentry.actions.works import add_work
from consentry.domain import ConsentState, Role, Use, WorkKind
from consentry.errors import ConsentryError, Forbidden, ImportRejected, InvalidInput, NotFound
from consentry.service.auth import require_csrf, service_settings, workspace
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.render import page, see_other
from consentry.service.portal.usage_plot import dashboard_usage
from consentry.service.portal.words import STATE_HINTS, STATE_WORDS, USE_WORDS, standing_words

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]
WITHDRAW_USES = (Use.DATA_MINING, Use.AI_INFERENCE, Use.SEARCH)
"""The roots of the use hierarchy: a ``no`` on each covers every use there is."""


def _words() -> dict[str, Any]:
    return {
        "uses": USES,
        "focus": Use.AI_TRAINING,
        "use_words": USE_WORDS,
        "states": (ConsentState.GRANTED, ConsentState.ASK, ConsentState.WITHHELD),
        "state_words": STATE_WORDS,
        "state_hints": STATE_HINTS,
    }


def _own_party(account: Account) -> str:
    if account.party_id is None or account.kind not in {"creator", "rightsholder"}:
        raise Forbidden("only creators and rightsholders have works here")
    return account.party_id


@router.get("/works", name="portal_works")
def works_list(request: Request, account: SignedIn) -> Response:
    """A creator's works, or a rightsholder's catalogue with its creator-assurance gaps."""
    _own_party(account)
    ws = workspace(request)
    seen: set[str] = set()
    rows = []
    for party_id in sorted(account.acts_for):
        rows += [r for r in party_works(ws, party_id) if r.work.id not in seen]
        seen.update(r.work.id for r in rows)
    title = "My works" if account.kind == "creator" else "Catalogue"
    usage = dashboard_usage(ws, account)
    return page(
        request, "works.html", account, title=title, rows=rows, usage_charts=usage, **_words()
    )


@router.get("/works/new", name="portal_work_new")
def work_new(request: Request, account: SignedIn) -> Response:
    """The form to register a work, by upload or by fingerprints only."""
    _own_party(account)
    return _new_form(request, account)


def _new_form(request: Request, account: Account, **extra: Any) -> Response:
    return page(
        request,
        "work_new.html",
        account,
        title="Register a work",
        kinds=tuple(WorkKind),
        roles=tuple(Role),
        **extra,
    )


@router.post("/works/new", dependencies=[Depends(require_csrf)])
async def work_new_submit(
    request: Request,
    account: SignedIn,
    title: Annotated[str, Form(max_length=500)],
    kind: Annotated[str, Form()] = "",
    role: Annotated[str, Form()] = "author",
    fingerprints: Annotated[str, Form(max_length=200_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Register the work; on a mistake, show the form again with what went wrong."""
    party_id = _own_party(account)
    ws = workspace(request)
    upload = await file.read() if file is not None and file.filename else None
    try:
        chosen = _kind(kind)
        role_value = Role(role).value if role in set(Role) else "author"
        if upload is not None:
            work_id = _register_upload(request, account, file, upload, title, chosen, role_value)
        elif fingerprints.strip():
            party = get_party(ws, party_id)
            if chosen is None:
                raise InvalidInput("say what kind of work it is", hint="choose text, image...")
            prints = _prints(fingerprints)
            work_id = register_unseen(
                ws, title=title, kind=chosen, fingerprints=prints, creator=party, role=role_value
            ).id
        else:
            raise InvalidInput("choose the work's file, or paste its fingerprints")
    except ImportRejected as exc:
        problems = [e.message for e in exc.errors]
        return _new_form(
            request,
            account,
            status_code=400,
            error=exc.message.split(": ", 1)[-1],
            problems=problems,
            form_title=title,
        )
    except ConsentryError as exc:
        return _new_form(
            request, account, status_code=400, error=exc.message, hint=exc.hint, form_title=title
        )
    return see_other(request, "portal_work", "registered", work_id=work_id)


def _register_upload(
    request: Request,
    account: Account,
    file: UploadFile | None,
    data: bytes,
    title: str,
    kind: WorkKind | None,
    role: str,
) -> str:
    assert file is not None and file.filename
    name = safe_file_name(file.filename)
    ws = workspace(request)
    party = get_party(ws, _own_party(account))
    with tempfile.TemporaryDirectory(prefix="consentry-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        creator = {"id": party.id, "name": party.name, "role": role}
        if account.kind == "creator":
            work = add_work(
                ws, path, title=title, kind=kind, creators=[creator], recorded_by=party.id
            )
        else:
            holder = {"id": party.id, "name": party.name}
            work = add_work(
                ws, path, title=title, kind=kind, rightsholders=[holder], recorded_by=party.id
            )
    return work.id


def _kind(value: str) -> WorkKind | None:
    if not value:
        return None
    try:
        return WorkKind(value)
    except ValueError:
        raise InvalidInput(f"unknown kind of work {value!r}") from None


def _prints(text: str) -> dict[str, Any]:
    """The fingerprints object, from what ``consentry fingerprint --json`` printed or its part."""
    try:
        loaded = json.loads(text)
    except ValueError as exc:
        raise InvalidInput(
            f"the fingerprints are not JSON: {exc}",
            hint="paste what `consentry fingerprint --json FILE` printed",
        ) from exc
    if isinstance(loaded, list) and len(loaded) == 1:
        loaded = loaded[0]
    if isinstance(loaded, dict) and isinstance(loaded.get("fingerprints"), dict):
        loaded = loaded["fingerprints"]
    if not isinstance(loaded, dict):
        raise InvalidInput("the fingerprints must be one JSON object")
    return loaded


def _acting_party(account: Account, consent: WorkConsent) -> str:
    """The party of the work this account answers for; Forbidden when it has none."""
    mine = [p for p in consent.work.party_ids if p in account.acts_for]
    if not mine:
        raise Forbidden("only the work's own creators and rightsholders can see or change this")
    if account.party_id in mine:
        return account.party_id
    return mine[0]


@router.get("/works/{work_id}", name="portal_work")
def work_page(request: Request, work_id: str, account: SignedIn) -> Response:
    """One work: every party's answer per use, the form to change one's own, and its uses."""
    ws = workspace(request)
    consent = work_consent(ws, work_id)
    party_id = _acting_party(account, consent)
    standing = consent.standing[party_id]
    summary = {
        pid: {u: standing_words(s, u) for u, s in per_use.items()}
        for pid, per_use in consent.standing.items()
    }
    recorded = {u: _recorded(standing[u], u) for u in USES}
    return page(
        request,
        "work.html",
        account,
        title=consent.work.title,
        consent=consent,
        party_id=party_id,
        standing=standing,
        recorded=recorded,
        summary=summary,
        usage=work_usage(ws, work_id, root=service_settings(request).data_dir),
        ledger_uses=work_ledger_uses(ws, work_id),
        removals=work_removals(ws, work_id),
        **_words(),
    )


def _recorded(standing: Any, use: Use) -> ConsentState:
    """The answer shown selected in the form: the party's own answer for exactly this use."""
    if standing.consent is not None and standing.decided_by == use:
        state: ConsentState = standing.state
        return state
    return ConsentState.ASK


@router.get("/works/{work_id}/removals/{removal_id}", name="portal_work_certificate")
def certificate(request: Request, work_id: str, removal_id: str, account: SignedIn) -> Response:
    """A removal certificate of the work, as the JSON file to keep and to verify."""
    ws = workspace(request)
    _acting_party(account, work_consent(ws, work_id))
    found = next((r for r in work_removals(ws, work_id) if r.id == removal_id), None)
    if found is None or found.certificate is None:
        raise NotFound(f"no removal certificate {removal_id!r} for this work")
    return Response(
        found.certificate,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="removal-{found.id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.post(
    "/works/{work_id}/consent", name="portal_work_consent", dependencies=[Depends(require_csrf)]
)
async def consent_submit(request: Request, work_id: str, account: SignedIn) -> Response:
    """Record each use whose answer changed (one log entry each)."""
    ws = workspace(request)
    consent = work_consent(ws, work_id)
    party_id = _acting_party(account, consent)
    form = await request.form()
    standing = consent.standing[party_id]
    for use in USES:
        value = form.get(f"use_{use.value}")
        if value is None:
            continue
        try:
            state = ConsentState(str(value))
        except ValueError:
            raise InvalidInput(f"unknown answer {value!s:.40} for {use}") from None
        if state != _recorded(standing[use], use):
            set_consent(ws, work_id, party_id, use, state, recorded_by=party_id, evidence="portal")
    return see_other(request, "portal_work", "consent-saved", work_id=work_id)


@router.post(
    "/works/{work_id}/withdraw", name="portal_work_withdraw", dependencies=[Depends(require_csrf)]
)
def withdraw_submit(request: Request, work_id: str, account: SignedIn) -> Response:
    """Say no to every use at once (a ``no`` on each root use covers all below it)."""
    ws = workspace(request)
    party_id = _acting_party(account, work_consent(ws, work_id))
    for use in WITHDRAW_USES:
        set_consent(
            ws,
            work_id,
            party_id,
            use,
            ConsentState.WITHHELD,
            recorded_by=party_id,
            evidence="portal: consent withdrawn",
        )
    return see_other(request, "portal_work", "withdrawn", work_id=work_id)
