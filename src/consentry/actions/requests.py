"""Requests: a developer asks in advance and in detail; refusals and withheld consent respected.

A request names the developer, the works (a list, a rightsholder's catalogue,
or the registered works a scan excluded as unlicensed or unassured), and the
terms. Every creator and rightsholder of each work is asked (a message in the
outbox). Answers, counters and licences are in :mod:`consentry.actions.answers`;
catalogue offers by a rightsholder in :mod:`consentry.actions.offers`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.request_state import message, request_works, statuses
from consentry.actions.workspace import Workspace
from consentry.domain import Party, PartyKind, Work
from consentry.errors import InvalidInput, NotFound
from consentry.evidence import events_requests
from consentry.licensing.notify import ask_body
from consentry.licensing.rules import withheld_parties
from consentry.licensing.selection import Skip, refused_skips, withheld_skips, works_a_scan_excluded
from consentry.licensing.terms import check_terms, terms_to_dict
from consentry.licensing.types import (
    Answer,
    Counter,
    LicenceRequest,
    Origin,
    Preference,
    RequestStatus,
    Terms,
    WorkStatus,
)
from consentry.store import Registry
from consentry.store.requests import RequestStore


@dataclass(frozen=True)
class CreatedRequest:
    """A request as sent, and the works left out of it (refused, or withheld in a bulk ask)."""

    request: LicenceRequest
    skipped: list[Skip] = field(default_factory=list)


@dataclass(frozen=True)
class RequestView:
    """A request with each work's status, every answer and every counter."""

    request: LicenceRequest
    status: RequestStatus
    works: list[WorkStatus]
    answers: list[Answer]
    counters: list[Counter]


def manifest_works(manifest: Path) -> list[str]:
    """The registered works a scan's ``manifest.jsonl`` excluded as unlicensed or unassured."""
    path = manifest / "manifest.jsonl" if manifest.is_dir() else manifest
    if not path.is_file():
        raise NotFound(f"no scan manifest at {path}", hint="give the scan's --out folder")
    with path.open(encoding="utf-8") as handle:
        return works_a_scan_excluded(json.loads(line) for line in handle if line.strip())


def create_request(
    ws: Workspace,
    developer_ref: str,
    terms: Terms,
    *,
    work_ids: Sequence[str] = (),
    catalogue_of: str | None = None,
    from_scan: Path | None = None,
    answer_by: datetime | None = None,
    renews: str | None = None,
) -> CreatedRequest:
    """Send a request for works (exactly one of a list, a catalogue or a scan's exclusions).

    A work refused to this developer for a related use is named in an error
    for a list (nothing is sent) and left out of a bulk request; so is, in a
    bulk request only, a work whose party withholds a requested use.
    """
    check_terms(terms)
    chosen = [bool(work_ids), catalogue_of is not None, from_scan is not None]
    if sum(chosen) != 1:
        raise InvalidInput("name the works one way: a list, --catalogue or --from-scan")
    scanned = manifest_works(from_scan) if from_scan is not None else []
    at = ws.now()
    check_deadline(answer_by, at)
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        developer = _developer(registry, developer_ref)
        if catalogue_of is not None:
            works, source = catalogue(registry, catalogue_of), f"catalogue:{catalogue_of}"
        else:
            works, source = _named(registry, list(work_ids) or scanned), "works"
            source = "scan" if from_scan is not None else source
        kept, skipped = select_works(
            registry, store, developer.id, works, terms, at, bulk=not work_ids
        )
        request = LicenceRequest(
            id=new_id("req"),
            developer_id=developer.id,
            terms=terms,
            work_ids=tuple(w.id for w in kept),
            created_at=at,
            source=source,
            answer_by=answer_by,
            developer_accepted_at=at,
            renews=renews,
        )
        send(ws, registry, store, request, kept)
    return CreatedRequest(request, skipped)


def check_deadline(answer_by: datetime | None, at: datetime) -> None:
    """An answer-by date must lie ahead: a request that is born expired takes no answers."""
    if answer_by is not None and answer_by <= at:
        raise InvalidInput(f"--answer-by {answer_by.isoformat()} is not in the future")


def send(
    ws: Workspace,
    registry: Registry,
    store: RequestStore,
    request: LicenceRequest,
    works: list[Work],
) -> None:
    """Store a request, log it, and queue a message to every party of its works."""
    store.add_request(request)
    record(
        ws,
        registry,
        events_requests.request_sent(
            request.id,
            request.developer_id,
            request.origin.value,
            request.work_ids,
            request.terms.uses,
            terms_to_dict(request.terms),
            request.created_at,
        ),
    )
    if request.origin is Origin.OFFER:
        body = f"{request.offered_by} offers you a catalogue licence ({request.id}).\n"
        store.add_messages(
            [message(request.developer_id, request.id, "offer", body, request.created_at)]
        )
        return
    asked: dict[str, list[str]] = {}
    for work in works:
        for party in work.party_ids:
            asked.setdefault(party, []).append(work.id)
    store.add_messages(
        message(party, request.id, "request", ask_body(request, ids), request.created_at)
        for party, ids in sorted(asked.items())
    )


def _developer(registry: Registry, ref: str) -> Party:
    developer = find_party(registry, ref)
    if developer.kind is not PartyKind.DEVELOPER:
        raise InvalidInput(f"{developer.name} is a {developer.kind}, not a developer")
    return developer


def catalogue(registry: Registry, rightsholder_ref: str) -> list[Work]:
    """Every work the rightsholder holds rights in, in id order."""
    holder = find_party(registry, rightsholder_ref)
    if holder.kind is not PartyKind.RIGHTSHOLDER:
        raise InvalidInput(f"{holder.name} is a {holder.kind}, not a rightsholder")
    works = [w for w in registry.list_works(party_id=holder.id) if holder.id in w.rightsholder_ids]
    if not works:
        raise InvalidInput(f"{holder.name} holds rights in no registered work")
    return works


def _named(registry: Registry, ids: list[str]) -> list[Work]:
    unique = list(dict.fromkeys(ids))
    if not unique:
        raise InvalidInput("the scan excluded no registered work as unlicensed or unassured")
    found = {w.id: w for w in registry.get_works(unique)}
    missing = [w for w in unique if w not in found]
    if missing:
        raise NotFound(f"no work {', '.join(missing)}", hint="see `consentry works list`")
    return [found[w] for w in unique]


def select_works(
    registry: Registry,
    store: RequestStore,
    developer_id: str,
    works: list[Work],
    terms: Terms,
    at: datetime,
    *,
    bulk: bool,
) -> tuple[list[Work], list[Skip]]:
    """The works that may be asked for; refused ones (and withheld ones, in bulk) left out."""
    ids = [w.id for w in works]
    refusals = [
        r
        for r, refused in store.refusals(developer_id, ids)
        if any(u in v.related() for u in terms.uses for v in refused.uses)
    ]
    preferences = store.preferences({p for w in works for p in w.party_ids})
    skips = refused_skips(refusals, preferences, at)
    if skips and not bulk:
        raise InvalidInput(
            "refused before, not to be asked again yet: "
            + "; ".join(_why(s) for s in sorted(skips.values(), key=lambda s: s.work_id)),
            hint="a party may opt in to be asked again: `consentry requests preferences`",
        )
    if bulk:
        consents = registry.consents_for_works(ids)
        mandates = registry.mandates_for_creators({c for w in works for c in w.creator_ids})
        withheld = {
            w.id: withheld_parties(w, terms.uses, at, consents.get(w.id, []), mandates)
            for w in works
        }
        skips = {**withheld_skips({k: v for k, v in withheld.items() if v}, preferences), **skips}
    kept = [w for w in works if w.id not in skips]
    if not kept:
        raise InvalidInput(
            "nothing to request: every work was left out ("
            + "; ".join(_why(s) for s in skips.values())
            + ")"
        )
    return kept, sorted(skips.values(), key=lambda s: s.work_id)


def _why(skip: Skip) -> str:
    if skip.why == "withheld":
        return f"{skip.work_id} withheld by {skip.party_id}"
    until = "never" if skip.until is None or skip.until.year == 9999 else skip.until.isoformat()
    return f"{skip.work_id} refused by {skip.party_id} (ask again: {until})"


def list_requests(ws: Workspace, *, developer_ref: str | None = None) -> list[LicenceRequest]:
    """Requests, oldest first, optionally of one developer."""
    with ws.transaction() as registry:
        developer = find_party(registry, developer_ref).id if developer_ref else None
        return RequestStore(registry.conn).list_requests(developer_id=developer)


def show_request(ws: Workspace, request_id: str) -> RequestView:
    """A request with every work's and every party's state, and who answered on what authority."""
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        return request_view(registry, store, store.get_request(request_id), at)


def request_view(
    registry: Registry, store: RequestStore, request: LicenceRequest, at: datetime
) -> RequestView:
    """``request`` as of ``at``: its status, every work's, its answers and counters."""
    return RequestView(
        request,
        request.status(at),
        statuses(registry, store, request, at),
        store.answers(request.id),
        store.counters(request.id),
    )


def withdraw_request(ws: Workspace, request_id: str) -> LicenceRequest:
    """The developer withdraws a request: no more answers; licences already in force stay."""
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        store.lock(request_id)
        request = store.get_request(request_id)
        state = request.status(at)
        if state is not RequestStatus.OPEN:
            raise InvalidInput(f"request {request_id} is already {state}")
        store.set_withdrawn(request_id, at)
        record(ws, registry, events_requests.request_withdrawn(request_id, at))
        return store.get_request(request_id)


def set_preference(
    ws: Workspace, party_ref: str, *, ask_again_days: int | None, ask_when_withheld: bool
) -> Preference:
    """A party's choice: how long after a refusal it may be asked again; bulk asks if withheld."""
    if ask_again_days is not None and ask_again_days < 0:
        raise InvalidInput("--ask-again-days must be 0 or more")
    with ws.transaction() as registry:
        party = find_party(registry, party_ref)
        preference = Preference(party.id, ask_again_days, ask_when_withheld)
        RequestStore(registry.conn).set_preference(preference, ws.now())
    return preference


__all__ = [
    "CreatedRequest",
    "RequestView",
    "catalogue",
    "create_request",
    "list_requests",
    "manifest_works",
    "request_works",
    "set_preference",
    "show_request",
    "withdraw_request",
]
