"""Complaint remedies carried out, and the parts of settled amounts (``tables_outputs``)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, RowMapping, insert, select

from consentry.licensing.remedies import RemedyDone
from consentry.store.tables_outputs import complaint_remedies, complaint_remedy_parts


class RemedyStore:
    """Appends and reads carried-out remedies on the unit of work's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, done: RemedyDone) -> None:
        """Record a remedy carried out, with its parts (one row per party)."""
        row = {
            "complaint_id": done.complaint_id,
            "step": done.step,
            "remedy": done.remedy,
            "dataset_version_id": done.dataset_version_id,
            "removal_id": done.removal_id,
            "licence_id": done.licence_id,
            "currency": done.currency,
            "amount_minor": done.amount_minor,
            "carried_out_at": done.carried_out_at,
        }
        self.conn.execute(insert(complaint_remedies), [row])
        if done.parts:
            parts = [
                {
                    "complaint_id": done.complaint_id,
                    "step": done.step,
                    "party_id": p,
                    "amount_minor": a,
                }
                for p, a in done.parts
            ]
            self.conn.execute(insert(complaint_remedy_parts), parts)

    def remedies(
        self, *, complaint_id: str | None = None, remedy: str | None = None
    ) -> list[RemedyDone]:
        """Remedies carried out (for one complaint, of one kind), oldest first."""
        t = complaint_remedies
        query = select(t)
        if complaint_id is not None:
            query = query.where(t.c.complaint_id == complaint_id)
        if remedy is not None:
            query = query.where(t.c.remedy == remedy)
        rows = list(
            self.conn.execute(query.order_by(t.c.carried_out_at, t.c.complaint_id)).mappings()
        )
        parts = self._parts({r["complaint_id"] for r in rows})
        return [_done(r, parts.get((r["complaint_id"], r["step"]), ())) for r in rows]

    def _parts(self, complaint_ids: set[str]) -> dict[tuple[str, str], tuple[tuple[str, int], ...]]:
        if not complaint_ids:
            return {}
        t = complaint_remedy_parts
        query = select(t).where(t.c.complaint_id.in_(sorted(complaint_ids))).order_by(t.c.party_id)
        found: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
        for r in self.conn.execute(query).mappings():
            found[(r["complaint_id"], r["step"])].append((r["party_id"], r["amount_minor"]))
        return {k: tuple(v) for k, v in found.items()}


def _done(row: RowMapping, parts: tuple[tuple[str, int], ...]) -> RemedyDone:
    return RemedyDone(
        complaint_id=row["complaint_id"],
        step=row["step"],
        remedy=row["remedy"],
        carried_out_at=row["carried_out_at"],
        dataset_version_id=row["dataset_version_id"],
        removal_id=row["removal_id"],
        licence_id=row["licence_id"],
        currency=row["currency"],
        amount_minor=row["amount_minor"],
        parts=parts,
    )
