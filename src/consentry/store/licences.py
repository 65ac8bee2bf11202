"""Licences with their works and the grants of each party."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select, update

from consentry.domain import Licence, LicenceGrant, Use
from consentry.errors import NotFound
from consentry.store.codec import dump_fee_terms, dump_set, load_fee_terms, load_set
from consentry.store.tables import licence_grants, licence_works, licences
from consentry.store.works import _chunks


class LicenceStore:
    """Licences to developers."""

    conn: Connection

    def add_licence(self, licence: Licence) -> None:
        """Insert a licence, its works and its grants."""
        self.conn.execute(
            insert(licences).values(
                id=licence.id,
                licensee_id=licence.licensee_id,
                uses=dump_set(licence.uses),
                models=dump_set(licence.models),
                territories=dump_set(licence.territories),
                starts_at=licence.starts_at,
                ends_at=licence.ends_at,
                revoked_at=licence.revoked_at,
                catalogue_of=licence.catalogue_of,
                fee_terms=dump_fee_terms(licence.fee_terms),
            )
        )
        self.conn.execute(
            insert(licence_works),
            [{"licence_id": licence.id, "work_id": w} for w in sorted(licence.work_ids)],
        )
        if licence.grants:
            self.conn.execute(
                insert(licence_grants),
                [
                    {
                        "licence_id": licence.id,
                        "work_id": g.work_id,
                        "party_id": g.party_id,
                        "granted_at": g.granted_at,
                    }
                    for g in licence.grants
                ],
            )

    def get_licence(self, licence_id: str) -> Licence:
        """The licence with this id, or :class:`NotFound`."""
        found = self._load_licences([licence_id])
        if not found:
            raise NotFound(f"no licence {licence_id!r}", hint="see `consentry licences list`")
        return found[0]

    def list_licences(
        self, *, licensee_id: str | None = None, work_id: str | None = None
    ) -> list[Licence]:
        """Licences in id order, optionally to one developer or covering one work."""
        query = select(licences.c.id).order_by(licences.c.id)
        if licensee_id is not None:
            query = query.where(licences.c.licensee_id == licensee_id)
        if work_id is not None:
            covering = select(licence_works.c.licence_id).where(licence_works.c.work_id == work_id)
            query = query.where(licences.c.id.in_(covering.scalar_subquery()))
        return self._load_licences(list(self.conn.execute(query).scalars()))

    def licences_for_works(self, ids: Iterable[str]) -> dict[str, list[Licence]]:
        """For each work, the licences that name it."""
        by_work: dict[str, list[str]] = defaultdict(list)
        for chunk in _chunks(list(ids)):
            query = select(licence_works).where(licence_works.c.work_id.in_(chunk))
            for row in self.conn.execute(query).mappings():
                by_work[row["work_id"]].append(row["licence_id"])
        loaded = {
            lic.id: lic
            for lic in self._load_licences(sorted({i for v in by_work.values() for i in v}))
        }
        return {w: [loaded[i] for i in sorted(lids)] for w, lids in by_work.items()}

    def revoke_licence(self, licence_id: str, at: datetime) -> None:
        """Revoke a licence from ``at`` on (its past stays licensed)."""
        self.get_licence(licence_id)
        self.conn.execute(update(licences).where(licences.c.id == licence_id).values(revoked_at=at))

    def _load_licences(self, ids: list[str]) -> list[Licence]:
        heads: list[RowMapping] = []
        works_of: dict[str, set[str]] = defaultdict(set)
        grants_of: dict[str, list[LicenceGrant]] = defaultdict(list)
        for chunk in _chunks(ids):
            heads += self.conn.execute(select(licences).where(licences.c.id.in_(chunk))).mappings()
            for r in self.conn.execute(
                select(licence_works).where(licence_works.c.licence_id.in_(chunk))
            ).mappings():
                works_of[r["licence_id"]].add(r["work_id"])
            for r in self.conn.execute(
                select(licence_grants)
                .where(licence_grants.c.licence_id.in_(chunk))
                .order_by(
                    licence_grants.c.licence_id,
                    licence_grants.c.granted_at,
                    licence_grants.c.work_id,
                    licence_grants.c.party_id,
                )
            ).mappings():
                grants_of[r["licence_id"]].append(
                    LicenceGrant(r["work_id"], r["party_id"], r["granted_at"])
                )
        return [
            _licence(h, works_of[h["id"]], grants_of[h["id"]])
            for h in sorted(heads, key=lambda h: str(h["id"]))
        ]


def _licence(head: RowMapping, work_ids: set[str], grants: list[LicenceGrant]) -> Licence:
    return Licence(
        id=head["id"],
        licensee_id=head["licensee_id"],
        work_ids=frozenset(work_ids),
        uses=frozenset(Use(u) for u in load_set(head["uses"])),
        starts_at=head["starts_at"],
        ends_at=head["ends_at"],
        models=frozenset(load_set(head["models"])),
        territories=frozenset(load_set(head["territories"])),
        fee_terms=load_fee_terms(head["fee_terms"]),
        grants=tuple(grants),
        catalogue_of=head["catalogue_of"],
        revoked_at=head["revoked_at"],
    )
