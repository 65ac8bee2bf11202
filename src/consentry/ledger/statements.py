"""Statements: per party, per period, per currency, every line of what it is owed.

Each :class:`~consentry.ledger.charges.Charge` is divided among the work's
parties by :func:`~consentry.ledger.splits.split_minor`; a party's statement
holds its part of every line (work, licence, basis, quantity, rate, the whole
line's amount, its fraction and its amount). Past-use liabilities are listed
apart and are not in the total: they are owed only once settled (a licence
covering the past period, or a payment agreed on them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from consentry.ledger.charges import Charge
from consentry.ledger.money import NO_CURRENCY, format_amount
from consentry.ledger.splits import split_minor

_BASIS_ORDER = (
    "per_work",
    "per_item",
    "per_token",
    "per_second",
    "per_inference_use",
    "flat",
    "pool",
    "revenue_share",
    "minimum",
    "cap",
    "unvalued",
)


@dataclass(frozen=True, slots=True)
class StatementLine:
    """A party's part of one charge."""

    work_id: str
    licence_id: str | None
    basis: str
    quantity: Decimal
    rate: Decimal | None
    line_minor: int
    fraction: Fraction
    amount_minor: int
    past_use: bool = False


@dataclass(frozen=True, slots=True)
class Statement:
    """What one party is owed in one currency for one period."""

    period: str
    party_id: str
    currency: str
    lines: tuple[StatementLine, ...]
    liabilities: tuple[StatementLine, ...]

    @property
    def total_minor(self) -> int:
        """The sum of the party's licensed lines (liabilities are apart)."""
        return sum(line.amount_minor for line in self.lines)

    @property
    def liabilities_minor(self) -> int:
        """The sum of the party's valued past-use liabilities."""
        return sum(line.amount_minor for line in self.liabilities)


def _sort_key(line: StatementLine) -> tuple[str, str, int]:
    return (line.work_id, line.licence_id or "", _BASIS_ORDER.index(line.basis))


def build_statements(
    period: str,
    charges: Sequence[Charge],
    fractions: Mapping[str, Mapping[str, Fraction]],
    party_id: str | None = None,
) -> list[Statement]:
    """Every party's statement (or only ``party_id``'s), by party then currency.

    ``fractions`` maps each work charged to its parties' fractions.
    """
    lines: dict[tuple[str, str], list[StatementLine]] = {}
    for charge in charges:
        shares = fractions[charge.work_id]
        parts = split_minor(charge.amount_minor, shares)
        currency = charge.currency or NO_CURRENCY
        for party, amount in parts.items():
            if party_id is not None and party != party_id:
                continue
            line = StatementLine(
                charge.work_id,
                charge.licence_id,
                charge.basis,
                charge.quantity,
                charge.rate,
                charge.amount_minor,
                shares[party],
                amount,
                charge.past_use,
            )
            lines.setdefault((party, currency), []).append(line)
    found = []
    for (party, currency), held in sorted(lines.items()):
        held.sort(key=_sort_key)
        found.append(
            Statement(
                period,
                party,
                currency,
                tuple(x for x in held if not x.past_use),
                tuple(x for x in held if x.past_use),
            )
        )
    return found


def _line_json(line: StatementLine, currency: str, titles: Mapping[str, str]) -> dict[str, object]:
    return {
        "work_id": line.work_id,
        "work_title": titles.get(line.work_id, ""),
        "licence_id": line.licence_id,
        "basis": line.basis,
        "quantity": str(line.quantity),
        "rate": None if line.rate is None else str(line.rate),
        "line_amount": format_amount(line.line_minor, currency),
        "share": f"{line.fraction.numerator}/{line.fraction.denominator}",
        "amount": format_amount(line.amount_minor, currency),
    }


def statement_json(
    statement: Statement,
    *,
    statement_id: str,
    party_name: str,
    titles: Mapping[str, str],
) -> dict[str, object]:
    """The statement as JSON-ready data; amounts as decimal strings in its currency."""
    cur = statement.currency
    return {
        "statement": statement_id,
        "period": statement.period,
        "party": {"id": statement.party_id, "name": party_name},
        "currency": cur,
        "lines": [_line_json(x, cur, titles) for x in statement.lines],
        "total": format_amount(statement.total_minor, cur),
        "liabilities": [_line_json(x, cur, titles) for x in statement.liabilities],
        "liabilities_total": format_amount(statement.liabilities_minor, cur),
    }
