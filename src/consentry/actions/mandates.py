"""Mandates: a creator's revocable authority for a rightsholder or society to answer for them."""

from __future__ import annotations

from collections.abc import Sequence

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import Mandate, PartyKind, Use
from consentry.errors import InvalidInput
from consentry.evidence import events


def give_mandate(
    ws: Workspace, agent_ref: str, creator_refs: Sequence[str], uses: Sequence[Use]
) -> Mandate:
    """Record that ``creators`` let ``agent`` consent and answer for them on ``uses``.

    What a creator records themselves always outweighs what the agent records.
    """
    if not creator_refs or not uses:
        raise InvalidInput("a mandate names at least one creator and one use")
    with ws.transaction() as registry:
        agent = find_party(registry, agent_ref)
        if agent.kind is not PartyKind.RIGHTSHOLDER:
            raise InvalidInput(
                f"{agent.name} is a {agent.kind}; only a rightsholder or collecting society "
                "can hold a mandate"
            )
        creators = [find_party(registry, ref) for ref in creator_refs]
        for creator in creators:
            if creator.kind is not PartyKind.CREATOR:
                raise InvalidInput(f"{creator.name} is a {creator.kind}, not a creator")
        mandate = Mandate(
            id=new_id("m"),
            agent_id=agent.id,
            creator_ids=frozenset(c.id for c in creators),
            uses=frozenset(uses),
            granted_at=ws.now(),
        )
        registry.add_mandate(mandate)
        record(ws, registry, events.mandate_given(mandate))
    return mandate


def revoke_mandate(ws: Workspace, mandate_id: str) -> Mandate:
    """End a mandate now: answers given under it stop counting from this moment."""
    with ws.transaction() as registry:
        mandate = registry.get_mandate(mandate_id)
        if mandate.revoked_at is not None:
            raise InvalidInput(f"mandate {mandate_id} was already revoked at {mandate.revoked_at}")
        at = ws.now()
        registry.revoke_mandate(mandate_id, at)
        record(ws, registry, events.mandate_revoked(mandate_id, at))
        return registry.get_mandate(mandate_id)
