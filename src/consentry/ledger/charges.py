"""Fee models: what each work's use under a licence costs in a period, to the minor unit.

From DESIGN's one fee-terms schema (:class:`~consentry.domain.FeeTerms`):

* per-unit rates give one line per work: ``per_work`` (1 per work used),
  ``per_item``, ``per_token``, ``per_second`` (training quantities, over all
  epochs) and ``per_inference_use``; each line is ``quantity x rate`` rounded
  half up to the minor unit;
* ``flat`` (charged in the first period the licence is used), ``pool.amount``
  (each period) and ``revenue_share x revenue`` are licence-wide amounts,
  rounded once, then divided among the works used by largest remainder: the
  pool by its ``by`` (items, tokens or bytes), flat and revenue share by items
  (an inference use counts as one item);
* ``minimum`` tops the licence's period total up and ``cap`` cuts it down, the
  difference divided among the works in proportion to what they already owe.

Past uses (no licence) are valued line by line at a tariff's per-unit rates
only; without a tariff they are listed, unvalued.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from consentry.domain import FeeTerms
from consentry.ledger.money import allocate, to_minor
from consentry.ledger.records import UseKind, UseRecord

PER_UNIT = ("per_work", "per_item", "per_token", "per_second", "per_inference_use")


@dataclass(frozen=True, slots=True)
class WorkTotals:
    """A work's use in a period under one licence (or as a past use)."""

    work_id: str
    items: int = 0
    bytes: int = 0
    tokens: int = 0
    seconds: Decimal = Decimal(0)
    inference_uses: int = 0

    def quantity(self, basis: str) -> Decimal:
        """How many units ``basis`` (a per-unit rate or a pool's ``by``) counts."""
        values = {
            "per_work": Decimal(1),
            "per_item": Decimal(self.items),
            "per_token": Decimal(self.tokens),
            "per_second": self.seconds,
            "per_inference_use": Decimal(self.inference_uses),
            "items": Decimal(self.items + self.inference_uses),
            "tokens": Decimal(self.tokens),
            "bytes": Decimal(self.bytes),
        }
        return values[basis]


@dataclass(frozen=True, slots=True)
class Charge:
    """One line of what is owed for a work: basis, quantity, rate, amount in minor units."""

    work_id: str
    basis: str
    quantity: Decimal
    rate: Decimal | None
    amount_minor: int
    currency: str
    licence_id: str | None = None
    past_use: bool = False


def totals_by_work(records: Iterable[UseRecord]) -> list[WorkTotals]:
    """Sum use records per work, sorted by work id."""
    acc: dict[str, WorkTotals] = {}
    for r in records:
        u = r.usage
        t = acc.get(u.work_id) or WorkTotals(u.work_id)
        if r.batch.kind is UseKind.INFERENCE:
            acc[u.work_id] = replace(t, inference_uses=t.inference_uses + r.uses)
        else:
            acc[u.work_id] = replace(
                t,
                items=t.items + u.items,
                bytes=t.bytes + u.bytes,
                tokens=t.tokens + u.tokens,
                seconds=t.seconds + u.seconds,
            )
    return [acc[w] for w in sorted(acc)]


def _per_unit(
    terms: FeeTerms, works: Sequence[WorkTotals], line: Callable[..., Charge]
) -> list[Charge]:
    charges: list[Charge] = []
    for w in works:
        for basis in PER_UNIT:
            rate: Decimal | None = getattr(terms, basis)
            quantity = w.quantity(basis)
            if rate is None or quantity == 0:
                continue
            if basis == "per_work" and w.items == 0 and w.inference_uses == 0:
                continue
            charges.append(
                line(w.work_id, basis, quantity, rate, to_minor(quantity * rate, terms.currency))
            )
    return charges


def _shared(
    basis: str,
    amount: Decimal,
    works: Sequence[WorkTotals],
    by: str,
    line: Callable[..., Charge],
    currency: str,
) -> list[Charge]:
    parts = allocate(to_minor(amount, currency), [w.quantity(by) for w in works])
    return [
        line(w.work_id, basis, w.quantity(by), None, part)
        for w, part in zip(works, parts, strict=True)
        if part
    ]


def licence_charges(
    licence_id: str,
    terms: FeeTerms,
    works: Sequence[WorkTotals],
    *,
    revenue: Decimal = Decimal(0),
    flat_due: bool = True,
) -> list[Charge]:
    """What the uses of ``works`` under one licence cost in a period (see the module text)."""
    if not works:
        return []

    def line(
        work_id: str, basis: str, quantity: Decimal, rate: Decimal | None, amount: int
    ) -> Charge:
        return Charge(work_id, basis, quantity, rate, amount, terms.currency, licence_id)

    charges = _per_unit(terms, works, line)
    if terms.flat is not None and flat_due:
        charges += _shared("flat", terms.flat, works, "items", line, terms.currency)
    if terms.pool is not None:
        charges += _shared("pool", terms.pool.amount, works, terms.pool.by, line, terms.currency)
    if terms.revenue_share is not None and revenue:
        charges += _shared(
            "revenue_share", terms.revenue_share * revenue, works, "items", line, terms.currency
        )
    return charges + _bounds(terms, works, charges, line)


def _bounds(
    terms: FeeTerms,
    works: Sequence[WorkTotals],
    charges: Sequence[Charge],
    line: Callable[..., Charge],
) -> list[Charge]:
    """The minimum's top-up or the cap's cut, divided by what each work already owes."""
    owed = {w.work_id: 0 for w in works}
    for c in charges:
        owed[c.work_id] += c.amount_minor
    total = sum(owed.values())
    low = None if terms.minimum is None else to_minor(terms.minimum, terms.currency)
    high = None if terms.cap is None else to_minor(terms.cap, terms.currency)
    if low is not None and total < low:
        basis, difference = "minimum", low - total
    elif high is not None and total > high:
        basis, difference = "cap", high - total
    else:
        return []
    weights = list(owed.values()) if total else [w.quantity("items") for w in works]
    parts = allocate(difference, weights)
    return [
        line(w.work_id, basis, Decimal(1), None, part)
        for w, part in zip(works, parts, strict=True)
        if part
    ]


def past_use_charges(works: Sequence[WorkTotals], tariff: FeeTerms | None) -> list[Charge]:
    """Liabilities for unlicensed uses: valued at ``tariff``'s per-unit rates, or unvalued."""
    if tariff is None:
        return [
            Charge(w.work_id, "unvalued", w.quantity("items"), None, 0, "", None, True)
            for w in works
        ]

    def line(
        work_id: str, basis: str, quantity: Decimal, rate: Decimal | None, amount: int
    ) -> Charge:
        return Charge(work_id, basis, quantity, rate, amount, tariff.currency, None, True)

    return _per_unit(tariff, works, line)
