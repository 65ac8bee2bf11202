"""Requests an agent answers on a mandate: which requests, which works, for which creators.

A rightsholder or collecting society holding a creator's mandate answers
licence requests for that creator's works on the creator's behalf. This
module finds them for the portal: the requests naming a work of a creator
who gave the agent an unrevoked mandate, and, per request, each (work,
creator) the agent may answer for with the mandate that covers every use
asked. The answer itself is :func:`consentry.actions.answers.answer_request`
with ``answered_by`` and ``mandate_id``, whose rules
(:func:`consentry.licensing.rules.check_answer`) keep what the creator
recorded: the creator's own answer stands, a withheld use is never granted,
and a use the creator granted itself is never refused or countered for it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from consentry.actions.requests import RequestView, request_view
from consentry.actions.workspace import Workspace
from consentry.domain import Mandate, PartyKind, Use
from consentry.licensing.types import PartyState, RequestStatus, WorkState
from consentry.store import Registry
from consentry.store.requests import RequestStore


@dataclass(frozen=True)
class AgentTurn:
    """One creator of one work of a request that the agent may answer for, and on what mandate.

    ``open`` is True while the creator's answer is still missing (an agent
    never answers over the creator's own answer, nor over its own earlier one).
    """

    work_id: str
    creator_id: str
    mandate_id: str
    open: bool


def held_mandates(
    registry: Registry, agent_id: str, creator_ids: Collection[str], at: datetime
) -> list[Mandate]:
    """The agent's mandates from any of these creators, given by ``at`` and not revoked."""
    return [
        m
        for m in registry.mandates_for_creators(creator_ids)
        if m.agent_id == agent_id and m.granted_at <= at and m.revoked_at is None
    ]


def _covered(
    mandates: list[Mandate], creator_ids: Collection[str], uses: Collection[Use], at: datetime
) -> bool:
    """Whether one of ``mandates`` lets the agent answer for one of these creators on every use."""
    return any(all(m.authorises(c, u, at) for u in uses) for m in mandates for c in creator_ids)


def requests_for_agent(ws: Workspace, agent_id: str) -> list[RequestView]:
    """Requests the agent may answer on a mandate for some work's creator; newest first.

    A mandate counts when it is in force and covers every use the request asks for.
    """
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        found = store.list_requests()
        ids = sorted({w for r in found for w in r.work_ids})
        creators = {w.id: set(w.creator_ids) for w in registry.get_works(ids)}
        everyone = {c for named in creators.values() for c in named}
        held = held_mandates(registry, agent_id, everyone, at)
        mine = [
            r
            for r in found
            if any(_covered(held, creators.get(w, set()), r.terms.uses, at) for w in r.work_ids)
        ]
        views = [request_view(registry, store, r, at) for r in mine]
    return views[::-1]


def agent_turns(ws: Workspace, agent_id: str, view: RequestView) -> list[AgentTurn]:
    """Each (work, creator) of ``view`` the agent may answer for: its mandate covers every use."""
    at = ws.now()
    uses = view.request.terms.uses
    creators = {p.party_id for s in view.works for p in s.parties if p.group is PartyKind.CREATOR}
    with ws.transaction() as registry:
        mandates = held_mandates(registry, agent_id, creators, at)
    turns: list[AgentTurn] = []
    for status in view.works:
        for party in status.parties:
            if party.group is not PartyKind.CREATOR or party.party_id == agent_id:
                continue
            mandate = next((m for m in mandates if _covered([m], [party.party_id], uses, at)), None)
            if mandate is None:
                continue
            is_open = (
                view.status is RequestStatus.OPEN
                and party.state is PartyState.PENDING
                and party.answer is None
                and status.state not in {WorkState.IN_FORCE, WorkState.WITHHELD}
            )
            turns.append(AgentTurn(status.work_id, party.party_id, mandate.id, is_open))
    return turns
