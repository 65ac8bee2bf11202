"""Catalogue offers: a rightsholder offers its catalogue, backed by each creator's consent.

The offer covers the rightsholder's works (less refused ones, and withheld
ones unless the party asked to be asked). The rightsholder grants them all by
offering. A creator who recorded ``granted`` for every offered use is assured
(an answer on the authority of that consent); every other creator's assurance
is missing until the creator grants, and can be requested
(:func:`consentry.actions.answers.request_assurance`). A work comes into force
when the developer has accepted the offer and every party of it granted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.requests import (
    CreatedRequest,
    catalogue,
    check_deadline,
    select_works,
    send,
)
from consentry.actions.workspace import Workspace
from consentry.domain import ConsentState, PartyKind, Work
from consentry.errors import InvalidInput
from consentry.evidence import events_requests
from consentry.licensing.terms import check_terms
from consentry.licensing.types import (
    BASE_TERMS,
    Answer,
    AnswerKind,
    Authority,
    LicenceRequest,
    Origin,
    Terms,
)
from consentry.registry import effective_consent
from consentry.store import Registry
from consentry.store.requests import RequestStore


def offer_catalogue(
    ws: Workspace,
    rightsholder_ref: str,
    developer_ref: str,
    terms: Terms,
    *,
    work_ids: Sequence[str] = (),
    answer_by: datetime | None = None,
) -> CreatedRequest:
    """Offer the rightsholder's catalogue (or the named works of it) to a developer."""
    check_terms(terms)
    at = ws.now()
    check_deadline(answer_by, at)
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        holder = find_party(registry, rightsholder_ref)
        developer = find_party(registry, developer_ref)
        if developer.kind is not PartyKind.DEVELOPER:
            raise InvalidInput(f"{developer.name} is a {developer.kind}, not a developer")
        works = catalogue(registry, holder.id)
        if work_ids:
            unknown = set(work_ids) - {w.id for w in works}
            if unknown:
                raise InvalidInput(f"not in {holder.id}'s catalogue: {', '.join(sorted(unknown))}")
            works = [w for w in works if w.id in set(work_ids)]
        kept, skipped = select_works(registry, store, developer.id, works, terms, at, bulk=True)
        request = LicenceRequest(
            id=new_id("req"),
            developer_id=developer.id,
            terms=terms,
            work_ids=tuple(w.id for w in kept),
            created_at=at,
            origin=Origin.OFFER,
            source=f"catalogue:{holder.id}",
            answer_by=answer_by,
            offered_by=holder.id,
        )
        send(ws, registry, store, request, kept)
        _grants_on_offer(ws, registry, store, request, kept, holder.id, at)
    return CreatedRequest(request, skipped)


def _grants_on_offer(
    ws: Workspace,
    registry: Registry,
    store: RequestStore,
    request: LicenceRequest,
    works: list[Work],
    holder_id: str,
    at: datetime,
) -> None:
    """The offering rightsholder grants; parties standing at ``granted`` are assured."""
    consents = registry.consents_for_works([w.id for w in works])
    mandates = registry.mandates_for_creators({c for w in works for c in w.creator_ids})
    by_party: dict[tuple[str, Authority], list[str]] = {}
    for work in works:
        for party in work.party_ids:
            if party == holder_id:
                by_party.setdefault((party, Authority.OWN), []).append(work.id)
                continue
            standing = [
                effective_consent(work, party, use, at, consents.get(work.id, []), mandates)
                for use in request.terms.uses
            ]
            if all(s.state is ConsentState.GRANTED for s in standing):
                by_party.setdefault((party, Authority.CONSENT), []).append(work.id)
    for (party, authority), ids in sorted(by_party.items()):
        store.add_answers(
            Answer(request.id, w, party, AnswerKind.GRANT, BASE_TERMS, party, authority, at)
            for w in ids
        )
        entry = events_requests.request_answered(
            request.id,
            party_id=party,
            answered_by=party,
            authority=authority.value,
            mandate_id=None,
            kind=AnswerKind.GRANT.value,
            terms_id=BASE_TERMS,
            work_ids=ids,
            counter_id=None,
            at=at,
        )
        record(ws, registry, entry)
