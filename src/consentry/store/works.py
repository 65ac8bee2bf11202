"""Works with their parties, identifiers and fingerprints: bulk in, batch out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, insert, select

from consentry.domain import Contribution, Fingerprints, Rights, Role, Split, Work, WorkKind
from consentry.errors import NotFound
from consentry.store.tables import (
    contributions,
    fingerprints,
    near_fingerprints,
    rights,
    work_identifiers,
    works,
)

# Bound parameters per IN (...) list: under SQLite's and psycopg's limits.
CHUNK = 500


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _child_rows(batch: Sequence[Work]) -> dict[Any, list[dict[str, Any]]]:
    rows: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for w in batch:
        for pos, c in enumerate(w.contributions):
            rows[contributions].append(
                {
                    "work_id": w.id,
                    "party_id": c.party_id,
                    "role": c.role.value,
                    "share": c.share,
                    "position": pos,
                }
            )
        for pos, r in enumerate(w.rights):
            rows[rights].append(
                {
                    "work_id": w.id,
                    "party_id": r.party_id,
                    "share": r.share,
                    "territory": r.territory,
                    "position": pos,
                }
            )
        given = ((s, v) for s, values in w.identifiers.items() for v in values)
        rows[work_identifiers].extend(
            {"work_id": w.id, "scheme": s, "value": v, "position": pos}
            for pos, (s, v) in enumerate(given)
        )
        prints = w.fingerprints
        if prints.sha256:
            rows[fingerprints].append(
                {"work_id": w.id, "kind": "sha256", "norm": None, "value": prints.sha256}
            )
        if prints.content_sha256:
            rows[fingerprints].append(
                {
                    "work_id": w.id,
                    "kind": "content_sha256",
                    "norm": prints.norm,
                    "value": prints.content_sha256,
                }
            )
        for scheme, data in prints.near.items():
            rows[near_fingerprints].append({"work_id": w.id, "scheme": scheme, "data": data})
    return rows


class WorkStore:
    """Registered works."""

    conn: Connection

    def add_works(self, batch: Sequence[Work]) -> None:
        """Insert works and all their child rows in a handful of executemany calls."""
        now = datetime.now(UTC)
        if not batch:
            return
        self.conn.execute(
            insert(works),
            [
                {
                    "id": w.id,
                    "title": w.title,
                    "kind": w.kind.value,
                    "split_creators": w.split.creators if w.split else None,
                    "split_rightsholders": w.split.rightsholders if w.split else None,
                    "consent_version": 0,
                    "created_at": now,
                }
                for w in batch
            ],
        )
        for table, rows in _child_rows(batch).items():
            if rows:
                self.conn.execute(insert(table), rows)

    def get_work(self, work_id: str) -> Work:
        """The work with this id, or :class:`NotFound`."""
        found = self._load_works(select(works).where(works.c.id == work_id))
        if not found:
            raise NotFound(f"no work {work_id!r}", hint="see `consentry works list`")
        return found[0]

    def list_works(
        self,
        *,
        kind: WorkKind | None = None,
        party_id: str | None = None,
        title_contains: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Work]:
        """Works in id order, filtered; children loaded in batches, not per work."""
        query = select(works).order_by(works.c.id).offset(offset).limit(limit)
        if kind is not None:
            query = query.where(works.c.kind == kind.value)
        if title_contains:
            query = query.where(works.c.title.icontains(title_contains, autoescape=True))
        if party_id is not None:
            of_party = select(contributions.c.work_id).where(contributions.c.party_id == party_id)
            held = select(rights.c.work_id).where(rights.c.party_id == party_id)
            query = query.where(works.c.id.in_(of_party.union(held).scalar_subquery()))
        return self._load_works(query)

    def existing_work_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of ``ids`` are already registered."""
        found: set[str] = set()
        for chunk in _chunks(list(ids)):
            query = select(works.c.id).where(works.c.id.in_(chunk))
            found.update(self.conn.execute(query).scalars())
        return found

    def find_works_by_fingerprint(self, value: str) -> list[str]:
        """Works holding a fingerprint with this value."""
        query = select(fingerprints.c.work_id).where(fingerprints.c.value == value).distinct()
        return sorted(self.conn.execute(query).scalars())

    def works_by_fingerprints(self, values: Sequence[str]) -> dict[str, list[str]]:
        """For each of ``values`` held by some work, those works (sorted)."""
        found: dict[str, set[str]] = defaultdict(set)
        for chunk in _chunks(values):
            query = select(fingerprints.c.value, fingerprints.c.work_id).where(
                fingerprints.c.value.in_(chunk)
            )
            for value, work_id in self.conn.execute(query):
                found[value].add(work_id)
        return {value: sorted(ids) for value, ids in found.items()}

    def get_works(self, ids: Sequence[str]) -> list[Work]:
        """The works with these ids that exist, in id order."""
        found: list[Work] = []
        for chunk in _chunks(sorted(set(ids))):
            found += self._load_works(select(works).where(works.c.id.in_(chunk)))
        return sorted(found, key=lambda w: w.id)

    def find_works_by_identifier(self, scheme: str, value: str) -> list[str]:
        """Works carrying this (canonical) identifier."""
        query = select(work_identifiers.c.work_id).where(
            work_identifiers.c.scheme == scheme, work_identifiers.c.value == value
        )
        return sorted(self.conn.execute(query).scalars())

    def _load_works(self, query: Select[Any]) -> list[Work]:
        heads = list(self.conn.execute(query).mappings())
        ids = [h["id"] for h in heads]
        kids = self._work_children(ids)
        return [_work(h, *(part.get(h["id"], []) for part in kids)) for h in heads]

    def _work_children(self, ids: Sequence[str]) -> tuple[dict[str, list[RowMapping]], ...]:
        tables = (contributions, rights, work_identifiers, fingerprints)
        grouped: tuple[dict[str, list[RowMapping]], ...] = tuple(defaultdict(list) for _ in tables)
        for chunk in _chunks(ids):
            for table, into in zip(tables, grouped, strict=True):
                query = select(table).where(table.c.work_id.in_(chunk))
                if "position" in table.c:
                    query = query.order_by(table.c.position)
                for row in self.conn.execute(query).mappings():
                    into[row["work_id"]].append(row)
        return grouped


def _work(
    head: RowMapping,
    contribs: list[RowMapping],
    holders: list[RowMapping],
    idents: list[RowMapping],
    prints: list[RowMapping],
) -> Work:
    identifiers: dict[str, tuple[str, ...]] = {}
    for row in idents:  # in the order given (read by position): schemes, then their values
        identifiers[row["scheme"]] = (*identifiers.get(row["scheme"], ()), row["value"])
    by_kind = {row["kind"]: row for row in prints}
    content = by_kind.get("content_sha256")
    split = None
    if head["split_creators"] is not None:
        split = Split(head["split_creators"], head["split_rightsholders"])
    return Work(
        id=head["id"],
        title=head["title"],
        kind=WorkKind(head["kind"]),
        identifiers=identifiers,
        contributions=tuple(
            Contribution(r["party_id"], Role(r["role"]), r["share"]) for r in contribs
        ),
        rights=tuple(Rights(r["party_id"], r["share"], r["territory"]) for r in holders),
        split=split,
        fingerprints=Fingerprints(
            sha256=by_kind["sha256"]["value"] if "sha256" in by_kind else None,
            content_sha256=content["value"] if content else None,
            norm=content["norm"] if content else None,
        ),
    )
