"""Register and look up parties: creators, rightsholders, developers."""

from __future__ import annotations

from consentry.actions.ids import new_id
from consentry.actions.workspace import Workspace
from consentry.domain import Party, PartyKind
from consentry.errors import AmbiguousParty, InvalidInput, NotFound
from consentry.identifiers import normalise_ipi, normalise_isni, normalise_orcid
from consentry.store import Registry


def add_party(
    ws: Workspace,
    name: str,
    kind: PartyKind,
    *,
    party_id: str | None = None,
    isni: str | None = None,
    ipi: str | None = None,
    orcid: str | None = None,
    email: str | None = None,
) -> Party:
    """Register a party; external ids are validated (check digits) and canonicalised."""
    if not name.strip():
        raise InvalidInput("a party needs a name")
    party = Party(
        id=party_id or new_id("p"),
        name=name.strip(),
        kind=kind,
        isni=normalise_isni(isni) if isni else None,
        ipi=normalise_ipi(ipi) if ipi else None,
        orcid=normalise_orcid(orcid) if orcid else None,
        email=email,
    )
    with ws.transaction() as registry:
        _refuse_duplicate(registry, party)
        registry.add_party(party)
    return party


def _refuse_duplicate(registry: Registry, party: Party) -> None:
    for other in registry.list_parties():
        clash = (
            other.id == party.id
            or (party.isni is not None and other.isni == party.isni)
            or (party.ipi is not None and other.ipi == party.ipi)
        )
        if clash:
            raise InvalidInput(
                f"party {other.id} ({other.name}) already has this id, ISNI or IPI",
                hint=f"refer to the existing party as {other.id}",
            )


def find_party(registry: Registry, ref: str) -> Party:
    """The party named by ``ref``: an id, an ISNI, an IPI, or an exact unique name."""
    keyed = registry.find_party_by_key(ref)
    if keyed is not None:
        return keyed
    named = registry.find_parties_by_name(ref)
    if len(named) > 1:
        listed = ", ".join(f"{p.id} ({p.kind})" for p in named)
        raise AmbiguousParty(
            f"{ref!r} names {len(named)} parties: {listed}",
            hint="refer to the party by its id, ISNI or IPI",
        )
    if not named:
        raise NotFound(f"no party {ref!r}", hint="see `consentry parties list`")
    return named[0]


def get_party(ws: Workspace, ref: str) -> Party:
    """Look up one party by id, ISNI, IPI or unique name."""
    with ws.transaction() as registry:
        return find_party(registry, ref)


def list_parties(ws: Workspace, kind: PartyKind | None = None) -> list[Party]:
    """Every party, optionally of one kind, in registration order."""
    with ws.transaction() as registry:
        return registry.list_parties(kind)
