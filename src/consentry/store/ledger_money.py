"""The usage ledger's money: revenue reports, closed periods, statements and payments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, RowMapping, insert, select
from sqlalchemy.exc import IntegrityError

from consentry.errors import ConflictError, NotFound
from consentry.ledger.records import IssuedStatement, Payment, Revenue
from consentry.store.tables_ledger import (
    ledger_payments,
    ledger_periods,
    ledger_revenue,
    ledger_statements,
)


class LedgerMoneyStore:
    """Appends and reads revenue, periods, statements and payments (no business rules)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_revenue(self, revenue: Revenue) -> None:
        """Record revenue; ConflictError when that model's period already has some."""
        row = {
            "id": revenue.id,
            "model": revenue.model,
            "period": revenue.period,
            "currency": revenue.currency,
            "amount": revenue.amount,
            "reported_at": revenue.reported_at,
        }
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(ledger_revenue), [row])
        except IntegrityError as exc:
            raise ConflictError(
                f"revenue for {revenue.model} in {revenue.period} was already reported",
                hint="a correction is an adjusting entry in an open period",
            ) from exc

    def revenue_for(self, period: str) -> list[Revenue]:
        """Every model's revenue reported for ``period``, by model."""
        t = ledger_revenue
        query = select(t).where(t.c.period == period).order_by(t.c.model)
        return [
            Revenue(r["id"], r["model"], r["period"], r["currency"], r["amount"], r["reported_at"])
            for r in self.conn.execute(query).mappings()
        ]

    def close_period(self, period: str, at: datetime) -> None:
        """Mark ``period`` closed (once; closing it again changes nothing)."""
        if period not in self.closed_periods():
            self.conn.execute(insert(ledger_periods), [{"period": period, "closed_at": at}])

    def closed_periods(self) -> list[str]:
        """The names of every closed period."""
        query = select(ledger_periods.c.period).order_by(ledger_periods.c.period)
        return list(self.conn.execute(query).scalars())

    def add_statement(self, statement: IssuedStatement) -> None:
        """Record an issued statement."""
        row = {
            "id": statement.id,
            "period": statement.period,
            "party_id": statement.party_id,
            "currency": statement.currency,
            "total_minor": statement.total_minor,
            "body": statement.body,
            "sha256": statement.sha256,
            "issued_at": statement.issued_at,
        }
        self.conn.execute(insert(ledger_statements), [row])

    def statements(
        self, *, period: str | None = None, party_id: str | None = None
    ) -> list[IssuedStatement]:
        """Issued statements, by period then party then currency."""
        t = ledger_statements
        query = select(t)
        if period is not None:
            query = query.where(t.c.period == period)
        if party_id is not None:
            query = query.where(t.c.party_id == party_id)
        query = query.order_by(t.c.period, t.c.party_id, t.c.currency)
        return [_statement(r) for r in self.conn.execute(query).mappings()]

    def get_statement(self, statement_id: str) -> IssuedStatement:
        """The statement with this id, or NotFound."""
        query = select(ledger_statements).where(ledger_statements.c.id == statement_id)
        row = self.conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFound(f"no statement {statement_id!r}", hint="see `consentry statements`")
        return _statement(row)

    def add_payment(self, payment: Payment) -> None:
        """Record a payment against a statement."""
        row = {
            "id": payment.id,
            "statement_id": payment.statement_id,
            "amount_minor": payment.amount_minor,
            "currency": payment.currency,
            "paid_on": payment.paid_on,
            "reference": payment.reference,
            "recorded_at": payment.recorded_at,
        }
        self.conn.execute(insert(ledger_payments), [row])

    def payments(self, statement_ids: list[str] | None = None) -> list[Payment]:
        """Payments (against the given statements, or all), in recording order."""
        t = ledger_payments
        query = select(t)
        if statement_ids is not None:
            query = query.where(t.c.statement_id.in_(statement_ids))
        rows = self.conn.execute(query.order_by(t.c.recorded_at, t.c.id)).mappings()
        return [
            Payment(
                r["id"],
                r["statement_id"],
                r["amount_minor"],
                r["currency"],
                r["paid_on"],
                r["reference"],
                r["recorded_at"],
            )
            for r in rows
        ]


def _statement(row: RowMapping) -> IssuedStatement:
    return IssuedStatement(
        row["id"],
        row["period"],
        row["party_id"],
        row["currency"],
        row["total_minor"],
        row["body"],
        row["sha256"],
        row["issued_at"],
    )
