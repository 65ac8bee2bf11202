"""Revenue reported per model and period, payments against statements, balances per party.

Balances are derived, never stored: each statement's total less the payments
recorded against it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput, NotFound
from consentry.evidence import events_ledger
from consentry.ledger.money import from_minor, minor_units, to_minor
from consentry.ledger.periods import parse_period
from consentry.ledger.records import Payment, Revenue
from consentry.store.ledger_money import LedgerMoneyStore


def parse_amount(text: str | Decimal, currency: str) -> Decimal:
    """A non-negative amount exact to ``currency``'s minor unit; InvalidInput otherwise."""
    try:
        amount = Decimal(str(text))
    except InvalidOperation:
        raise InvalidInput(f"{text!r} is not an amount") from None
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"amount {text} must not be negative")
    if from_minor(to_minor(amount, currency), currency) != amount:
        places = minor_units(currency)
        raise InvalidInput(f"{text} {currency} has more than {places} decimal places")
    return amount


def report_revenue(
    ws: Workspace, model: str, period: str, amount: str | Decimal, currency: str
) -> Revenue:
    """Record a model's revenue for a period (once; ConflictError the second time)."""
    currency = currency.upper()
    value = parse_amount(amount, currency)
    named = parse_period(period)
    with ws.transaction() as registry:
        if not any(m.name == model for m in registry.list_model_versions()):
            raise NotFound(f"no model {model!r}", hint="see `consentry models list`")
        store = LedgerMoneyStore(registry.conn)
        if named.name in store.closed_periods():
            raise InvalidInput(f"period {named.name} is closed: its statements were issued")
        revenue = Revenue(new_id("rv"), model, named.name, currency, value, ws.now())
        store.add_revenue(revenue)
        entry = events_ledger.revenue_reported(revenue.id, model, named.name, currency, str(value))
        record(ws, registry, entry)
    return revenue


def record_payment(
    ws: Workspace, statement_id: str, amount: str | Decimal, paid_on: date, reference: str
) -> Payment:
    """Record a payment against an issued statement, in the statement's currency."""
    if not reference.strip():
        raise InvalidInput("a payment needs a reference (e.g. the bank transfer's)")
    with ws.transaction() as registry:
        store = LedgerMoneyStore(registry.conn)
        statement = store.get_statement(statement_id)
        value = parse_amount(amount, statement.currency)
        if value == 0:
            raise InvalidInput("a payment must be more than zero")
        payment = Payment(
            new_id("pay"),
            statement.id,
            to_minor(value, statement.currency),
            statement.currency,
            paid_on,
            reference.strip(),
            ws.now(),
        )
        store.add_payment(payment)
        entry = events_ledger.payment_recorded(
            payment.id, statement.id, payment.amount_minor, payment.currency, paid_on
        )
        record(ws, registry, entry)
    return payment


@dataclass(frozen=True, slots=True)
class Balance:
    """What a party was stated, was paid, and is still owed, in one currency (minor units)."""

    party_id: str
    currency: str
    stated_minor: int
    paid_minor: int

    @property
    def owed_minor(self) -> int:
        """Stated less paid."""
        return self.stated_minor - self.paid_minor


def balances(ws: Workspace, party_ref: str | None = None) -> list[Balance]:
    """Each party's balance per currency, derived from statements and payments."""
    with ws.transaction() as registry:
        party_id = find_party(registry, party_ref).id if party_ref else None
        store = LedgerMoneyStore(registry.conn)
        statements = store.statements(party_id=party_id)
        payments = store.payments([s.id for s in statements])
    paid: dict[str, int] = {}
    for p in payments:
        paid[p.statement_id] = paid.get(p.statement_id, 0) + p.amount_minor
    sums: dict[tuple[str, str], tuple[int, int]] = {}
    for s in statements:
        stated, got = sums.get((s.party_id, s.currency), (0, 0))
        sums[(s.party_id, s.currency)] = (stated + s.total_minor, got + paid.get(s.id, 0))
    return [Balance(p, c, st, pd) for (p, c), (st, pd) in sorted(sums.items())]


def body_digest(body: str) -> str:
    """SHA-256 of a statement's canonical body text."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()
