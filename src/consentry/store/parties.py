"""Parties, mandates and personas."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, RowMapping, insert, or_, select, update

from consentry.domain import Mandate, Party, PartyKind, Persona, Use
from consentry.errors import NotFound
from consentry.store.codec import dump_set, load_set
from consentry.store.tables import mandates, parties, personas
from consentry.store.tables_mandates import mandate_creators

_IN_BATCH = 500  # creators per query: well inside every database's bound-parameter limit


def _party(row: RowMapping) -> Party:
    return Party(
        id=row["id"],
        name=row["name"],
        kind=PartyKind(row["kind"]),
        isni=row["isni"],
        ipi=row["ipi"],
        orcid=row["orcid"],
        email=row["email"],
    )


def _mandate(row: RowMapping) -> Mandate:
    return Mandate(
        id=row["id"],
        agent_id=row["agent_id"],
        creator_ids=frozenset(load_set(row["creator_ids"])),
        uses=frozenset(Use(u) for u in load_set(row["uses"])),
        granted_at=row["granted_at"],
        revoked_at=row["revoked_at"],
    )


class PartyStore:
    """Parties, the mandates they give and the personas they own."""

    conn: Connection

    def add_parties(self, new: Iterable[Party]) -> None:
        """Insert parties in one statement."""
        now = datetime.now(UTC)
        rows = [
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind.value,
                "isni": p.isni,
                "ipi": p.ipi,
                "orcid": p.orcid,
                "email": p.email,
                "created_at": now,
            }
            for p in new
        ]
        if rows:
            self.conn.execute(insert(parties), rows)

    def add_party(self, party: Party) -> None:
        """Insert one party."""
        self.add_parties([party])

    def get_party(self, party_id: str) -> Party:
        """The party with this id, or :class:`NotFound`."""
        row = self.conn.execute(select(parties).where(parties.c.id == party_id)).mappings().first()
        if row is None:
            raise NotFound(f"no party {party_id!r}", hint="see `consentry parties list`")
        return _party(row)

    def list_parties(self, kind: PartyKind | None = None) -> list[Party]:
        """Every party (optionally of one kind), oldest first."""
        query = select(parties).order_by(parties.c.created_at, parties.c.id)
        if kind is not None:
            query = query.where(parties.c.kind == kind.value)
        return [_party(r) for r in self.conn.execute(query).mappings()]

    def find_party_by_key(self, ref: str) -> Party | None:
        """The party whose id, ISNI or IPI is ``ref`` (each is unique), if any."""
        query = select(parties).where(
            or_(parties.c.id == ref, parties.c.isni == ref, parties.c.ipi == ref)
        )
        rows = self.conn.execute(query.order_by(parties.c.id)).mappings().all()
        by_id = [r for r in rows if r["id"] == ref]
        return _party((by_id or rows)[0]) if rows else None

    def find_parties_by_name(self, name: str) -> list[Party]:
        """Parties whose name is exactly ``name``."""
        query = select(parties).where(parties.c.name == name).order_by(parties.c.id)
        return [_party(r) for r in self.conn.execute(query).mappings()]

    def add_mandate(self, mandate: Mandate) -> None:
        """Record a mandate."""
        self.conn.execute(
            insert(mandates).values(
                id=mandate.id,
                agent_id=mandate.agent_id,
                creator_ids=dump_set(mandate.creator_ids),
                uses=dump_set(mandate.uses),
                granted_at=mandate.granted_at,
                revoked_at=mandate.revoked_at,
            )
        )
        named = [{"mandate_id": mandate.id, "creator_id": c} for c in sorted(mandate.creator_ids)]
        if named:
            self.conn.execute(insert(mandate_creators), named)

    def get_mandate(self, mandate_id: str) -> Mandate:
        """The mandate with this id, or :class:`NotFound`."""
        query = select(mandates).where(mandates.c.id == mandate_id)
        row = self.conn.execute(query).mappings().first()
        if row is None:
            raise NotFound(f"no mandate {mandate_id!r}")
        return _mandate(row)

    def revoke_mandate(self, mandate_id: str, at: datetime) -> None:
        """End a mandate at ``at``; answers given under it stop counting from then."""
        self.get_mandate(mandate_id)
        self.conn.execute(update(mandates).where(mandates.c.id == mandate_id).values(revoked_at=at))

    def mandates_for_creators(self, creator_ids: Iterable[str]) -> list[Mandate]:
        """Mandates naming any of these creators (revoked ones included: history).

        Found through the ``mandate_creators`` index, a batch of creators at a
        time; each mandate once, in the order they were given (then by id).
        """
        wanted = sorted(set(creator_ids))
        found: dict[str, Mandate] = {}
        for start in range(0, len(wanted), _IN_BATCH):
            named = select(mandate_creators.c.mandate_id).where(
                mandate_creators.c.creator_id.in_(wanted[start : start + _IN_BATCH])
            )
            query = select(mandates).where(mandates.c.id.in_(named))
            for row in self.conn.execute(query).mappings():
                found[row["id"]] = _mandate(row)
        return sorted(found.values(), key=lambda m: (m.granted_at, m.id))

    def add_persona(self, persona: Persona) -> None:
        """Record a creator's persona."""
        self.conn.execute(
            insert(personas).values(
                id=persona.id,
                party_id=persona.party_id,
                names=json.dumps(list(persona.names)),
                voice=int(persona.voice),
                likeness=int(persona.likeness),
            )
        )

    def personas_of(self, party_id: str) -> list[Persona]:
        """The personas a party owns."""
        query = select(personas).where(personas.c.party_id == party_id).order_by(personas.c.id)
        return [
            Persona(
                r["id"],
                r["party_id"],
                tuple(json.loads(r["names"])),
                bool(r["voice"]),
                bool(r["likeness"]),
            )
            for r in self.conn.execute(query).mappings()
        ]
