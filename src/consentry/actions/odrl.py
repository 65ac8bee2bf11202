"""ODRL 2.2 in and out: export requests, offers, counters, licences; import requests, counters.

An imported ``Request`` is sent as a request; an ``Offer`` countering a
request (``cs:counterTo``) is that party's counter; any other ``Offer`` is a
rightsholder's catalogue offer. An ``Agreement`` is never imported: a licence
comes only from every party's grants.
"""

from __future__ import annotations

from typing import Any

from consentry.actions.answers import AnswerResult, answer_request
from consentry.actions.offers import offer_catalogue
from consentry.actions.request_state import terms_for
from consentry.actions.requests import CreatedRequest, create_request
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.licensing.odrl import Grant, Policy, from_odrl, to_odrl
from consentry.licensing.types import AnswerKind, Origin, Terms
from consentry.store.requests import RequestStore


def export_request(ws: Workspace, request_id: str) -> dict[str, Any]:
    """A request as an ODRL ``Request`` (a catalogue offer as an ``Offer``)."""
    with ws.transaction() as registry:
        request = RequestStore(registry.conn).get_request(request_id)
    kind = "Offer" if request.origin is Origin.OFFER else "Request"
    policy = Policy(
        kind, request.id, request.developer_id, request.work_ids, request.terms, request.offered_by
    )
    return to_odrl(policy)


def export_counter(ws: Workspace, counter_id: str) -> dict[str, Any]:
    """A counter as an ODRL ``Offer`` from the countering party, ``cs:counterTo`` its request."""
    with ws.transaction() as registry:
        counter = RequestStore(registry.conn).get_counter(counter_id)
        request = RequestStore(registry.conn).get_request(counter.request_id)
    policy = Policy(
        "Offer",
        counter.id,
        request.developer_id,
        (counter.work_id,),
        counter.terms,
        assigner_id=counter.party_id,
        counter_to=request.id,
    )
    return to_odrl(policy)


def export_licence(ws: Workspace, licence_id: str) -> dict[str, Any]:
    """A licence as an ODRL ``Agreement``: who granted each work and when, the agreed terms."""
    with ws.transaction() as registry:
        licence = registry.get_licence(licence_id)
        store = RequestStore(registry.conn)
        origin = store.request_of_licence(licence.id)
        if origin is not None:
            request = store.get_request(origin[0])
            counters = {c.id: c for c in store.counters(request.id)}
            agreed = terms_for(request, counters, origin[1])
        else:
            agreed = Terms(licence.uses, licence.starts_at, licence.ends_at)
    terms = Terms(
        uses=licence.uses,
        starts_at=licence.starts_at,
        ends_at=licence.ends_at,
        models=licence.models,
        territories=licence.territories,
        purpose=agreed.purpose,
        fee_terms=licence.fee_terms,
        attribution=agreed.attribution,
    )
    grants = tuple(Grant(g.work_id, g.party_id, g.granted_at) for g in licence.grants)
    policy = Policy(
        "Agreement",
        licence.id,
        licence.licensee_id,
        tuple(sorted(licence.work_ids)),
        terms,
        assigner_id=licence.catalogue_of,
        grants=grants,
    )
    return to_odrl(policy)


def import_policy(ws: Workspace, doc: Any) -> CreatedRequest | AnswerResult:
    """Act on an ODRL document: send a request, record a counter, or make a catalogue offer."""
    policy = from_odrl(doc)
    if policy.kind == "Request":
        return create_request(ws, policy.developer_id, policy.terms, work_ids=policy.work_ids)
    if policy.kind == "Offer" and policy.counter_to is not None:
        if policy.assigner_id is None:
            raise InvalidInput("ODRL: a counter-offer needs its assigner (the countering party)")
        return answer_request(
            ws,
            policy.counter_to,
            policy.assigner_id,
            AnswerKind.COUNTER,
            work_ids=policy.work_ids,
            counter_terms=policy.terms,
        )
    if policy.kind == "Offer":
        if policy.assigner_id is None:
            raise InvalidInput("ODRL: a catalogue offer needs its assigner (the rightsholder)")
        return offer_catalogue(
            ws, policy.assigner_id, policy.developer_id, policy.terms, work_ids=policy.work_ids
        )
    raise InvalidInput(
        "ODRL: an Agreement is not imported; a licence comes only from every party's grants",
        hint="import the Request instead, and let every party answer it",
    )
