"""Match the parties an import names to the registry's, or create them (pure).

The rule (DESIGN, "Parties, shares and consent"): parties are the same when
their id, ISNI or IPI match; otherwise when their names match exactly. A name
that would match two parties is an error naming both. A party created by the
import joins the index at once, so later rows naming it find it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import replace

from consentry.domain import Party, PartyKind
from consentry.errors import AmbiguousParty, InvalidInput
from consentry.work_import.model import PartyRef, ResolvedParty

IdFactory = Callable[[str], str]


def new_opaque_id(prefix: str) -> str:
    """A fresh opaque id such as ``p_3f2a9c1e0b7d4e6a`` (64 random bits)."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def describe_party(party: Party) -> str:
    """``p_1a2b (ISNI 0000000121032683)``: the id and the strongest external id."""
    if party.isni:
        return f"{party.id} (ISNI {party.isni})"
    if party.ipi:
        return f"{party.id} (IPI {party.ipi})"
    return party.id


def _listing(parties: list[Party]) -> str:
    names = [describe_party(p) for p in parties]
    count = "two" if len(names) == 2 else str(len(names))
    return f"{count} parties: {', '.join(names[:-1])} and {names[-1]}"


def _compatible(ref: PartyRef, party: Party) -> bool:
    """False when an external id on both sides differs: then they are different people."""
    return all(
        mine is None or theirs is None or mine == theirs
        for mine, theirs in ((ref.isni, party.isni), (ref.ipi, party.ipi), (ref.orcid, party.orcid))
    )


class PartyIndex:
    """The known parties by id, ISNI, IPI and (kind, exact name); grows as it creates."""

    def __init__(self, parties: Iterable[Party] = (), *, new_id: IdFactory = new_opaque_id):
        self.new_id = new_id
        self._by_id: dict[str, Party] = {}
        self._by_isni: dict[str, str] = {}
        self._by_ipi: dict[str, str] = {}
        self._by_name: dict[tuple[PartyKind, str], list[str]] = {}
        self._created: dict[str, None] = {}  # ids, in order of creation
        for party in parties:
            self._add(party)

    def _add(self, party: Party) -> None:
        self._by_id[party.id] = party
        if party.isni:
            self._by_isni[party.isni] = party.id
        if party.ipi:
            self._by_ipi[party.ipi] = party.id
        self._by_name.setdefault((party.kind, party.name), []).append(party.id)

    def get(self, party_id: str) -> Party | None:
        """The party with this id, as the index holds it now."""
        return self._by_id.get(party_id)

    @property
    def created(self) -> tuple[Party, ...]:
        """The parties this index created, in order, with what later rows added to them."""
        return tuple(self._by_id[i] for i in self._created)

    def resolve(self, ref: PartyRef, kind: PartyKind) -> ResolvedParty:
        """The party ``ref`` names as a ``kind``, creating it when none matches.

        Raises :class:`~consentry.errors.AmbiguousParty` when a name matches
        two parties, :class:`~consentry.errors.InvalidInput` when the ids given
        point at different parties or the match is of another kind.
        """
        strong = self._strong_match(ref, kind)
        if strong is not None:
            return self._found(strong, ref)
        if ref.id is not None:
            return self._create(ref, kind, ref.id)
        named = [self._by_id[i] for i in self._by_name.get((kind, ref.name), ())]
        matching = [p for p in named if _compatible(ref, p)]
        if len(matching) > 1:
            raise AmbiguousParty(
                f"{kind} name {ref.name!r} matches {_listing(matching)}; give an id, ISNI or IPI",
            )
        if matching:
            return self._found(matching[0], ref)
        developers = self._by_name.get((PartyKind.DEVELOPER, ref.name), [])
        if developers and kind is not PartyKind.DEVELOPER:
            raise InvalidInput(
                f"{kind} name {ref.name!r} is the developer {developers[0]}; "
                f"a developer cannot be a {kind}"
            )
        return self._create(ref, kind, self._fresh_id())

    def _strong_match(self, ref: PartyRef, kind: PartyKind) -> Party | None:
        keys = (
            ("id", ref.id, self._by_id.keys()),
            ("ISNI", ref.isni, self._by_isni),
            ("IPI", ref.ipi, self._by_ipi),
        )
        hits: dict[str, list[str]] = {}
        for label, value, table in keys:
            if value is None or value not in table:
                continue
            party_id = value if label == "id" else self._lookup(label, value)
            hits.setdefault(party_id, []).append(f"{label} {value}")
        if len(hits) > 1:
            listed = [self._by_id[i] for i in hits]
            given = " and ".join(h for found in hits.values() for h in found)
            raise InvalidInput(f"{kind} {ref.name!r}: {given} name {_listing(listed)}")
        if not hits:
            return None
        party = self._by_id[next(iter(hits))]
        self._check_same(ref, kind, party)
        return party

    def _lookup(self, label: str, value: str) -> str:
        return self._by_isni[value] if label == "ISNI" else self._by_ipi[value]

    def _check_same(self, ref: PartyRef, kind: PartyKind, party: Party) -> None:
        if party.kind is not kind:
            raise InvalidInput(
                f"{kind} {ref.name!r} is {describe_party(party)} ({party.name!r}), a "
                f"{party.kind}; a party is of one kind only"
            )
        if ref.id is not None and ref.id != party.id:
            raise InvalidInput(
                f"{kind} id {ref.id!r} is unknown, but its ISNI or IPI belongs to "
                f"{describe_party(party)} ({party.name!r}); give that id or none"
            )
        if not _compatible(ref, party):
            raise InvalidInput(
                f"{kind} {ref.name!r} matches {describe_party(party)} ({party.name!r}), "
                "whose ISNI, IPI or ORCID differs from the row's"
            )

    def _found(self, party: Party, ref: PartyRef) -> ResolvedParty:
        created = party.id in self._created
        if created:
            party = self._enrich(party, ref)
        return ResolvedParty(party, created)

    def _enrich(self, party: Party, ref: PartyRef) -> Party:
        """Add to a party this import created what a later row says and it lacks."""
        adds = (
            (ref.isni and not party.isni)
            or (ref.ipi and not party.ipi)
            or (ref.orcid and not party.orcid)
            or (ref.email and not party.email)
        )
        if not adds:
            return party
        richer = replace(
            party,
            isni=party.isni or ref.isni,
            ipi=party.ipi or ref.ipi,
            orcid=party.orcid or ref.orcid,
            email=party.email or ref.email,
        )
        self._by_id[party.id] = richer
        if richer.isni:
            self._by_isni[richer.isni] = party.id
        if richer.ipi:
            self._by_ipi[richer.ipi] = party.id
        return richer

    def _fresh_id(self) -> str:
        while True:
            candidate = self.new_id("p")
            if candidate not in self._by_id:
                return candidate

    def _create(self, ref: PartyRef, kind: PartyKind, party_id: str) -> ResolvedParty:
        party = Party(
            id=party_id,
            name=ref.name,
            kind=kind,
            isni=ref.isni,
            ipi=ref.ipi,
            orcid=ref.orcid,
            email=ref.email,
        )
        self._add(party)
        self._created[party_id] = None
        return ResolvedParty(party, created=True)
