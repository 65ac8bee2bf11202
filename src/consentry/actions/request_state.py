"""What every request action shares: each work's status, licences coming into force, messages.

Called inside the caller's unit of work, after :meth:`RequestStore.lock`, so
that the status read here and the licences written here are those of one
serialised change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.workspace import Workspace
from consentry.domain import Licence, LicenceGrant, Work
from consentry.evidence import events, events_requests
from consentry.licensing.notify import OutboxMessage
from consentry.licensing.rules import ready_to_license, withheld_parties, work_status
from consentry.licensing.types import (
    BASE_TERMS,
    Counter,
    LicenceRequest,
    PartyState,
    Terms,
    WorkStatus,
)
from consentry.store import Registry
from consentry.store.requests import RequestStore


def terms_for(request: LicenceRequest, counters: Mapping[str, Counter], terms_id: str) -> Terms:
    """The terms a terms id names: the request's own, or an accepted counter's."""
    return request.terms if terms_id == BASE_TERMS else counters[terms_id].terms


def request_works(registry: Registry, request: LicenceRequest) -> list[Work]:
    """The request's works, in the request's order."""
    by_id = {w.id: w for w in registry.get_works(request.work_ids)}
    return [by_id[w] for w in request.work_ids]


def statuses(
    registry: Registry, store: RequestStore, request: LicenceRequest, at: datetime
) -> list[WorkStatus]:
    """Each work's status at ``at``, in the request's order."""
    works = request_works(registry, request)
    table = store.work_terms(request.id)
    answers, counters = store.answers(request.id), store.counters(request.id)
    by_id = {c.id: c for c in counters}
    consents = registry.consents_for_works(request.work_ids)
    mandates = registry.mandates_for_creators({c for w in works for c in w.creator_ids})
    found = []
    for work in works:
        terms_id, licence_id = table[work.id]
        uses = terms_for(request, by_id, terms_id).uses
        withheld = withheld_parties(work, uses, at, consents.get(work.id, []), mandates)
        found.append(
            work_status(
                request,
                work,
                terms_id=terms_id,
                answers=answers,
                counters=counters,
                withheld=withheld,
                licence_id=licence_id,
            )
        )
    return found


def bring_into_force(
    ws: Workspace,
    registry: Registry,
    store: RequestStore,
    request: LicenceRequest,
    at: datetime,
) -> list[Licence]:
    """Record a licence for every work of the request that every party has now granted.

    Works on the same terms come into force together under one licence,
    made with the registry's own licence code so that scans honour it.
    """
    ready = ready_to_license(statuses(registry, store, request, at))
    groups: dict[str, list[WorkStatus]] = defaultdict(list)
    for status in ready:
        groups[status.terms_id].append(status)
    counters = {c.id: c for c in store.counters(request.id)}
    made = []
    for terms_id, group in sorted(groups.items()):
        licence = _licence(request, terms_for(request, counters, terms_id), group)
        registry.add_licence(licence)
        store.set_licence(request.id, licence.work_ids, licence.id)
        record(ws, registry, events.licence_granted(licence))
        entry = events_requests.licence_in_force(
            request.id, licence.id, terms_id, licence.work_ids, at
        )
        record(ws, registry, entry)
        body = f"Licence {licence.id} is in force for: {', '.join(sorted(licence.work_ids))}\n"
        store.add_messages(
            [message(request.developer_id, request.id, "licence.in_force", body, at)]
        )
        made.append(licence)
    return made


def _licence(request: LicenceRequest, terms: Terms, group: Iterable[WorkStatus]) -> Licence:
    grants = tuple(
        LicenceGrant(s.work_id, p.party_id, p.answer.answered_at)
        for s in group
        for p in s.parties
        if p.state is PartyState.GRANTED and p.answer is not None
    )
    return Licence(
        id=new_id("lic"),
        licensee_id=request.developer_id,
        work_ids=frozenset(g.work_id for g in grants),
        uses=terms.uses,
        starts_at=terms.starts_at,
        ends_at=terms.ends_at,
        models=terms.models,
        territories=terms.territories,
        fee_terms=terms.fee_terms,
        grants=grants,
        catalogue_of=request.offered_by,
    )


def message(
    recipient_id: str, request_id: str | None, topic: str, body: str, at: datetime
) -> OutboxMessage:
    """A new outbox message (its subject names the topic and the request)."""
    subject = f"consentry: {topic.replace('.', ' ')}" + (f" ({request_id})" if request_id else "")
    return OutboxMessage(new_id("msg"), recipient_id, topic, subject, body, at, request_id)
