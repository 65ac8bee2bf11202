"""The rules of requests: each work's status, who may answer, when a licence comes into force.

Pure functions over plain data (``docs/requests.md`` states them):

* a party's answer is its latest live answer to the terms now on the table for
  that work (a refused or superseded counter is not live);
* a work comes into force only when the developer has accepted the terms (a
  request is accepted by asking; an offer when the developer accepts it), every
  creator and rightsholder of it has granted those terms, and none of them
  stands at ``withheld`` for a requested use: withheld always wins;
* an agent answers for a creator only on a mandate that authorises it for
  every requested use, and never against what the creator recorded itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from consentry.domain import Consent, ConsentState, Mandate, PartyKind, Use, Work
from consentry.errors import InvalidInput
from consentry.licensing.types import (
    Answer,
    AnswerKind,
    Authority,
    Counter,
    CounterState,
    LicenceRequest,
    PartyState,
    PartyStatus,
    RequestStatus,
    WorkState,
    WorkStatus,
)
from consentry.registry import effective_consent

_STATE_OF: Mapping[AnswerKind, PartyState] = {
    AnswerKind.GRANT: PartyState.GRANTED,
    AnswerKind.REFUSE: PartyState.REFUSED,
    AnswerKind.COUNTER: PartyState.COUNTERED,
}


def withheld_parties(
    work: Work,
    uses: Iterable[Use],
    at: datetime,
    consents: Iterable[Consent],
    mandates: Iterable[Mandate],
) -> frozenset[str]:
    """The parties of ``work`` whose effective consent withholds any of ``uses`` at ``at``."""
    records, authorities = tuple(consents), tuple(mandates)
    return frozenset(
        party
        for party in work.party_ids
        for use in uses
        if effective_consent(work, party, use, at, records, authorities).state
        is ConsentState.WITHHELD
    )


def own_grant(
    work: Work, party_id: str, uses: Iterable[Use], at: datetime, consents: Iterable[Consent]
) -> bool:
    """True when the party itself (not an agent) recorded ``granted`` for every one of ``uses``."""
    records = tuple(consents)
    standings = [effective_consent(work, party_id, u, at, records, ()) for u in uses]
    return bool(standings) and all(
        s.state is ConsentState.GRANTED and s.consent is not None and s.consent.on_own_authority
        for s in standings
    )


def live_answer(
    answers: Iterable[Answer],
    party_id: str,
    terms_id: str,
    counters: Mapping[str, Counter],
) -> Answer | None:
    """The party's latest answer to ``terms_id`` that still stands, if any."""
    live = [
        a
        for a in answers
        if a.party_id == party_id
        and a.terms_id == terms_id
        and a.superseded_at is None
        and not (
            a.kind is AnswerKind.COUNTER
            and (a.counter_id is None or counters[a.counter_id].state is not CounterState.PENDING)
        )
    ]
    return max(live, key=lambda a: a.answered_at) if live else None


def work_status(
    request: LicenceRequest,
    work: Work,
    *,
    terms_id: str,
    answers: Iterable[Answer],
    counters: Iterable[Counter],
    withheld: frozenset[str],
    licence_id: str | None = None,
) -> WorkStatus:
    """Each party's state on ``work`` and the work's state (see the module docstring)."""
    on_work = [a for a in answers if a.work_id == work.id]
    by_id = {c.id: c for c in counters if c.work_id == work.id}
    parties = tuple(
        _party_status(work, party, terms_id, on_work, by_id, party in withheld)
        for party in work.party_ids
    )
    return WorkStatus(
        work.id, _work_state(request, parties, licence_id), terms_id, parties, licence_id
    )


def _party_status(
    work: Work,
    party: str,
    terms_id: str,
    answers: list[Answer],
    counters: Mapping[str, Counter],
    withheld: bool,
) -> PartyStatus:
    group = PartyKind.CREATOR if party in work.creator_ids else PartyKind.RIGHTSHOLDER
    answer = live_answer(answers, party, terms_id, counters)
    if answer is None:
        return PartyStatus(party, group, PartyState.PENDING, withheld=withheld)
    counter = counters.get(answer.counter_id) if answer.counter_id else None
    return PartyStatus(party, group, _STATE_OF[answer.kind], answer, counter, withheld)


def _work_state(
    request: LicenceRequest, parties: tuple[PartyStatus, ...], licence_id: str | None
) -> WorkState:
    states = {p.state for p in parties}
    if licence_id is not None:
        return WorkState.IN_FORCE
    if any(p.withheld for p in parties):
        return WorkState.WITHHELD
    if PartyState.REFUSED in states:
        return WorkState.REFUSED
    if PartyState.COUNTERED in states:
        return WorkState.COUNTERED
    if parties and states == {PartyState.GRANTED} and request.developer_accepted_at is not None:
        return WorkState.IN_FORCE  # ready: the caller records its licence
    return WorkState.PENDING


def ready_to_license(statuses: Iterable[WorkStatus]) -> list[WorkStatus]:
    """Works whose every party granted but whose licence is not yet recorded."""
    return [s for s in statuses if s.state is WorkState.IN_FORCE and s.licence_id is None]


def check_answer(
    request: LicenceRequest,
    work: Work,
    status: WorkStatus,
    *,
    party_id: str,
    answerer_id: str,
    kind: AnswerKind,
    mandate: Mandate | None,
    creator_granted_own: bool,
    at: datetime,
) -> Authority:
    """The authority of a permitted answer; :class:`InvalidInput` saying why when it is not."""
    state = request.status(at)
    if state is not RequestStatus.OPEN:
        raise InvalidInput(f"request {request.id} is {state}; it takes no more answers")
    if party_id not in work.party_ids:
        raise InvalidInput(
            f"{party_id} is not a creator or rightsholder of {work.id}",
            hint="only a work's own parties (or their agents on a mandate) answer for it",
        )
    if status.state is WorkState.IN_FORCE:
        raise InvalidInput(f"the licence for {work.id} is already in force ({status.licence_id})")
    authority = _authority(request, work, party_id, answerer_id, mandate, at)
    mine = next(p for p in status.parties if p.party_id == party_id)
    if mine.answer is not None and not (
        mine.answer.authority is not Authority.OWN and authority is Authority.OWN
    ):
        raise InvalidInput(
            f"{party_id} already answered {mine.answer.kind} for {work.id} at "
            f"{mine.answer.answered_at.isoformat()}",
            hint="an answer stands; a creator's own answer replaces only an agent's",
        )
    if kind is AnswerKind.GRANT and mine.withheld:
        raise InvalidInput(
            f"{party_id} withholds a requested use of {work.id}; withheld always wins",
            hint="the party must change its consent before anyone can grant for it",
        )
    if authority is Authority.MANDATE and kind is not AnswerKind.GRANT and creator_granted_own:
        raise InvalidInput(
            f"{party_id} granted these uses of {work.id} itself; a mandate never overrides that"
        )
    return authority


def _authority(
    request: LicenceRequest,
    work: Work,
    party_id: str,
    answerer_id: str,
    mandate: Mandate | None,
    at: datetime,
) -> Authority:
    if answerer_id == party_id:
        return Authority.OWN
    if mandate is None:
        raise InvalidInput(
            f"{answerer_id} cannot answer for {party_id} without a mandate",
            hint="answer as the party itself, or name the mandate that authorises you",
        )
    uses = request.terms.uses
    if mandate.agent_id != answerer_id or not all(
        mandate.authorises(party_id, u, at) for u in uses
    ):
        raise InvalidInput(
            f"mandate {mandate.id} does not authorise {answerer_id} to answer for {party_id} "
            f"on {', '.join(sorted(uses))} of {work.id}"
        )
    return Authority.MANDATE
