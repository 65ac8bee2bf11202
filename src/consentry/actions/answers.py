"""Answers: every party grants, refuses or counters; the developer accepts or refuses counters.

Each call is one unit of work that starts by locking the request, so answers
given at the same moment are applied one after the other; the licence for a
work is recorded by whichever answer completes it, exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.request_state import bring_into_force, message, request_works, statuses
from consentry.actions.workspace import Workspace
from consentry.domain import Licence, Mandate, Party, PartyKind, Work
from consentry.errors import InvalidInput
from consentry.evidence import events_requests
from consentry.evidence.entry import Entry
from consentry.licensing.rules import check_answer, own_grant
from consentry.licensing.terms import check_terms
from consentry.licensing.types import (
    Answer,
    AnswerKind,
    Authority,
    Counter,
    CounterState,
    LicenceRequest,
    Origin,
    RequestStatus,
    Terms,
    WorkStatus,
)
from consentry.store import Registry
from consentry.store.requests import RequestStore


@dataclass(frozen=True)
class AnswerResult:
    """The works answered, their status after the answer, and licences it brought into force."""

    works: list[WorkStatus]
    licences: list[Licence]
    counters: list[Counter]


@dataclass(frozen=True)
class _Given:
    """One answer as given: who for whom, on what mandate, what, and when."""

    request: LicenceRequest
    party: Party
    answerer: Party
    mandate: Mandate | None
    kind: AnswerKind
    reason: str | None
    counter_terms: Terms | None
    at: datetime


def answer_request(
    ws: Workspace,
    request_id: str,
    party_ref: str,
    kind: AnswerKind,
    *,
    work_ids: Sequence[str] = (),
    answered_by: str | None = None,
    mandate_id: str | None = None,
    reason: str | None = None,
    counter_terms: Terms | None = None,
) -> AnswerResult:
    """Record ``party``'s answer for its works of a request (all of them unless named).

    An agent answers for a creator with ``answered_by`` and ``mandate_id``.
    Every check runs before anything is written: a refused answer changes nothing.
    """
    if (kind is AnswerKind.COUNTER) != (counter_terms is not None):
        raise InvalidInput("a counter needs its terms, and only a counter has terms")
    if counter_terms is not None:
        check_terms(counter_terms)
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        store.lock(request_id)
        party = find_party(registry, party_ref)
        given = _Given(
            store.get_request(request_id),
            party,
            find_party(registry, answered_by) if answered_by else party,
            registry.get_mandate(mandate_id) if mandate_id else None,
            kind,
            reason,
            counter_terms,
            at,
        )
        works = {w.id: w for w in request_works(registry, given.request)}
        current = {s.work_id: s for s in statuses(registry, store, given.request, at)}
        targets = _targets(given.request, works, party.id, work_ids)
        authority = _check(registry, given, works, current, targets)
        answers, counters = _write(store, given, current, targets, authority)
        record(ws, registry, _entry(given, answers, counters))
        if counters:
            body = (
                f"{party.id} countered for {', '.join(targets)}: "
                f"see `consentry requests show {given.request.id}`\n"
            )
            developer = given.request.developer_id
            store.add_messages([message(developer, given.request.id, "counter", body, at)])
        licences = bring_into_force(ws, registry, store, given.request, at)
        after = {s.work_id: s for s in statuses(registry, store, given.request, at)}
        return AnswerResult([after[w] for w in targets], licences, counters)


def _check(
    registry: Registry,
    given: _Given,
    works: dict[str, Work],
    current: dict[str, WorkStatus],
    targets: list[str],
) -> Authority:
    """Every target checked before anything is written; the authority the answer is given on."""
    consents = registry.consents_for_works(targets)
    uses = given.request.terms.uses
    authority = Authority.OWN
    for wid in targets:
        authority = check_answer(
            given.request,
            works[wid],
            current[wid],
            party_id=given.party.id,
            answerer_id=given.answerer.id,
            kind=given.kind,
            mandate=given.mandate,
            creator_granted_own=own_grant(
                works[wid], given.party.id, uses, given.at, consents.get(wid, [])
            ),
            at=given.at,
        )
    return authority


def _write(
    store: RequestStore,
    given: _Given,
    current: dict[str, WorkStatus],
    targets: list[str],
    authority: Authority,
) -> tuple[list[Answer], list[Counter]]:
    """Store the answer (and counter) for each target work."""
    counters: list[Counter] = []
    answers: list[Answer] = []
    request_id, party_id, at = given.request.id, given.party.id, given.at
    mandate_id = given.mandate.id if authority is Authority.MANDATE and given.mandate else None
    for wid in targets:
        _supersede_agent(store, request_id, current[wid], party_id, at)
        counter = None
        if given.counter_terms is not None:
            counter = Counter(new_id("ctr"), request_id, wid, party_id, given.counter_terms, at)
            store.add_counter(counter)
            counters.append(counter)
        answers.append(
            Answer(
                request_id,
                wid,
                party_id,
                given.kind,
                current[wid].terms_id,
                given.answerer.id,
                authority,
                at,
                mandate_id,
                given.reason,
                counter.id if counter else None,
            )
        )
    store.add_answers(answers)
    return answers, counters


def _entry(given: _Given, answers: list[Answer], counters: list[Counter]) -> Entry:
    first = answers[0]
    return events_requests.request_answered(
        given.request.id,
        party_id=given.party.id,
        answered_by=given.answerer.id,
        authority=first.authority.value,
        mandate_id=first.mandate_id,
        kind=given.kind.value,
        terms_id=",".join(sorted({a.terms_id for a in answers})),
        work_ids=[a.work_id for a in answers],
        counter_id=",".join(c.id for c in counters) or None,
        at=given.at,
    )


def _targets(
    request: LicenceRequest, works: dict[str, Work], party_id: str, named: Sequence[str]
) -> list[str]:
    for wid in named:
        if wid not in works:
            raise InvalidInput(f"work {wid} is not part of request {request.id}")
    targets = list(dict.fromkeys(named)) or [w for w in works if party_id in works[w].party_ids]
    if not targets:
        raise InvalidInput(
            f"{party_id} is not a creator or rightsholder of any work of request {request.id}",
            hint="only a work's own parties (or their agents on a mandate) answer for it",
        )
    return targets


def _supersede_agent(
    store: RequestStore, request_id: str, status: WorkStatus, party_id: str, at: datetime
) -> None:
    """A party answering over its agent's answer replaces it (``check_answer`` allowed it)."""
    mine = next(p for p in status.parties if p.party_id == party_id)
    if mine.answer is None:
        return
    store.supersede_answers(request_id, status.work_id, party_id, status.terms_id, at)
    if mine.counter is not None:
        store.set_counter_state(mine.counter.id, CounterState.SUPERSEDED, at)


def accept(
    ws: Workspace, request_id: str, *, counter_id: str | None = None, refuse: bool = False
) -> AnswerResult:
    """The developer accepts (or refuses) a counter, or accepts a catalogue offer.

    Accepting a counter puts its terms on the table for that work: the party
    that countered has granted them; every other party of the work is asked
    again, and their pending counters to the old terms are superseded.
    """
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        store.lock(request_id)
        request = store.get_request(request_id)
        state = request.status(at)
        if state is not RequestStatus.OPEN:
            raise InvalidInput(f"request {request_id} is {state}; nothing can be accepted")
        if counter_id is None:
            _accept_offer(ws, registry, store, request, refuse, at)
            counters: list[Counter] = []
        else:
            counters = [_settle_counter(ws, registry, store, request, counter_id, refuse, at)]
        request = store.get_request(request_id)  # as accepted
        licences = bring_into_force(ws, registry, store, request, at)
        return AnswerResult(statuses(registry, store, request, at), licences, counters)


def _accept_offer(
    ws: Workspace,
    registry: Registry,
    store: RequestStore,
    request: LicenceRequest,
    refuse: bool,
    at: datetime,
) -> None:
    if request.origin is not Origin.OFFER:
        raise InvalidInput(
            f"request {request.id} is your own request; accept a counter with --counter"
        )
    if request.developer_accepted_at is not None:
        raise InvalidInput(f"offer {request.id} was already accepted")
    if refuse:
        store.set_withdrawn(request.id, at)
    else:
        store.set_accepted(request.id, at)
    decision = "refused" if refuse else "accepted"
    record(ws, registry, events_requests.counter_answered(request.id, None, decision, at))


def _settle_counter(
    ws: Workspace,
    registry: Registry,
    store: RequestStore,
    request: LicenceRequest,
    counter_id: str,
    refuse: bool,
    at: datetime,
) -> Counter:
    counter = store.get_counter(counter_id)
    if counter.request_id != request.id:
        raise InvalidInput(f"counter {counter_id} belongs to request {counter.request_id}")
    if counter.state is not CounterState.PENDING:
        raise InvalidInput(
            f"counter {counter_id} was {counter.state} at {counter.decided_at}; it cannot be "
            "accepted or refused now",
            hint=f"see `consentry requests show {request.id}` for the counters still pending",
        )
    if refuse:
        store.set_counter_state(counter.id, CounterState.REFUSED, at)
        body = f"{request.developer_id} refused your counter {counter.id}\n"
        store.add_messages([message(counter.party_id, request.id, "counter.refused", body, at)])
    else:
        _take_counter(store, registry, request, counter, at)
    decision = "refused" if refuse else "accepted"
    record(ws, registry, events_requests.counter_answered(request.id, counter.id, decision, at))
    return store.get_counter(counter.id)


def _take_counter(
    store: RequestStore, registry: Registry, request: LicenceRequest, counter: Counter, at: datetime
) -> None:
    store.set_counter_state(counter.id, CounterState.ACCEPTED, at)
    for other in store.counters(request.id):
        if other.work_id == counter.work_id and other.state is CounterState.PENDING:
            store.set_counter_state(other.id, CounterState.SUPERSEDED, at)
    store.set_work_terms(request.id, counter.work_id, counter.id)
    original = next(a for a in store.answers(request.id) if a.counter_id == counter.id)
    store.add_answers(
        [
            Answer(
                request.id,
                counter.work_id,
                counter.party_id,
                AnswerKind.GRANT,
                counter.id,
                original.answered_by,
                original.authority,
                at,
                original.mandate_id,
            )
        ]
    )
    work = registry.get_work(counter.work_id)
    body = f"The terms for {work.id} changed (counter {counter.id}); please answer again.\n"
    store.add_messages(
        message(p, request.id, "request.terms_changed", body, at)
        for p in work.party_ids
        if p != counter.party_id
    )


def request_assurance(
    ws: Workspace, request_id: str, work_ids: Sequence[str] = ()
) -> dict[str, list[str]]:
    """Ask each creator whose assurance a work lacks to answer; returns work -> creators asked."""
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        request = store.get_request(request_id)
        asked: dict[str, list[str]] = {}
        for status in statuses(registry, store, request, at):
            if work_ids and status.work_id not in work_ids:
                continue
            missing = [
                p.party_id
                for p in status.parties
                if p.group is PartyKind.CREATOR and p.party_id in status.waiting_for
            ]
            if missing:
                asked[status.work_id] = missing
        body = f"Please confirm your consent for your works in {request.id}.\n"
        by_party: dict[str, list[str]] = {}
        for work_id, creators in asked.items():
            for creator in creators:
                by_party.setdefault(creator, []).append(work_id)
        store.add_messages(
            message(p, request.id, "assurance", body + f"Works: {', '.join(w)}\n", at)
            for p, w in sorted(by_party.items())
        )
        return asked
