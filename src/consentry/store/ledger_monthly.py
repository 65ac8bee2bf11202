"""The usage ledger summed per month, model version and kind of use, in the database.

One ``GROUP BY`` over ``ledger_uses`` joined to ``ledger_batches``, on SQLite
and PostgreSQL alike, with every value a bound parameter: a dashboard's chart
reads a row per month and model, not every ledger record. The month is the
calendar month of ``used_at`` in UTC (``YYYY-MM``); what a record counts is
its items for a training (over all epochs) and its uses for inference.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from sqlalchemy import ColumnElement, Connection, Select, case, func, select, union

from consentry.ledger.records import UseKind
from consentry.store.tables import contributions, model_versions, rights
from consentry.store.tables_ledger import ledger_batches, ledger_uses


class MonthTotal(NamedTuple):
    """One month's sum of one kind of use by one model version (``name version``)."""

    month: str
    kind: str
    model_version_id: str
    name: str
    version: str
    amount: int


def utc_month(conn: Connection, column: ColumnElement[object]) -> ColumnElement[str]:
    """``YYYY-MM`` of a ``UtcDateTime`` column, in UTC, in this connection's SQL dialect.

    SQLite keeps the UTC time as text (``strftime`` reads it); PostgreSQL keeps
    a ``timestamptz``, turned to UTC before ``to_char`` whatever the session's zone.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    if dialect == "sqlite":
        return func.strftime("%Y-%m", column)
    raise NotImplementedError(f"no month of a date for the {dialect} database")


def monthly_totals(
    conn: Connection,
    *,
    party_ids: Collection[str] | None = None,
    developer_id: str | None = None,
) -> list[MonthTotal]:
    """The ledger's sums per month, kind and model version, of the works that ``party_ids``
    contributed to or hold rights in, or by ``developer_id``'s model versions (give one).

    Zero sums are left out; sorted by month, kind and model version id.
    """
    inner = _amounts(conn)
    if developer_id is not None:
        mine = select(model_versions.c.id).where(model_versions.c.developer_id == developer_id)
        inner = inner.where(ledger_batches.c.model_version_id.in_(mine.scalar_subquery()))
    if party_ids is not None:
        ids = sorted(party_ids)
        works = union(
            select(contributions.c.work_id).where(contributions.c.party_id.in_(ids)),
            select(rights.c.work_id).where(rights.c.party_id.in_(ids)),
        )
        inner = inner.where(ledger_uses.c.work_id.in_(works.scalar_subquery()))
    rows = inner.subquery()
    m = model_versions
    query = (
        select(rows.c.month, rows.c.kind, rows.c.model_version_id, m.c.name, m.c.version,
               func.sum(rows.c.amount).label("amount"))
        .join(m, m.c.id == rows.c.model_version_id)
        .group_by(rows.c.month, rows.c.kind, rows.c.model_version_id, m.c.name, m.c.version)
        .order_by(rows.c.month, rows.c.kind, rows.c.model_version_id)
    )  # fmt: skip
    found = [MonthTotal(*row[:5], int(row.amount)) for row in conn.execute(query)]
    return [t for t in found if t.amount]


def _amounts(conn: Connection) -> Select[tuple[str, str, str, int]]:
    """Each ledger use's month, kind, model version and amount (a subquery's rows: a
    month worked out by bound parameters must be named once, to be grouped by)."""
    b, u = ledger_batches, ledger_uses
    amount = case((b.c.kind == UseKind.TRAINING.value, u.c["items"]), else_=u.c.uses)
    return select(
        utc_month(conn, b.c.used_at).label("month"),
        b.c.kind,
        b.c.model_version_id,
        amount.label("amount"),
    ).join(u, u.c.batch_id == b.c.id)
