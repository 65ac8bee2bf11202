"""DESIGN's one fee-terms schema, as JSON in and out (every amount a decimal string).

Licences and the ledger share it. Amounts are parsed from their text into
``Decimal`` and written back as strings, never through float.
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from consentry.domain import FeeTerms, Pool
from consentry.errors import InvalidInput

AMOUNT_FIELDS = (
    "flat",
    "per_work",
    "per_item",
    "per_token",
    "per_second",
    "per_inference_use",
    "revenue_share",
    "minimum",
    "cap",
)
POOL_BASES = ("items", "tokens", "bytes")


def _amount(name: str, value: object) -> Decimal:
    if isinstance(value, float):
        raise InvalidInput(f'fee terms: {name} must be a decimal string such as "12.50"')
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise InvalidInput(f"fee terms: {name} {value!r} is not a decimal amount") from exc
    if not amount.is_finite() or amount < 0:
        raise InvalidInput(f"fee terms: {name} must be a non-negative amount")
    return amount


def _pool(raw: object) -> Pool:
    if not isinstance(raw, dict) or "amount" not in raw:
        raise InvalidInput('fee terms: "pool" needs an "amount" (and "by": items|tokens|bytes)')
    by = raw.get("by", "items")
    if by not in POOL_BASES:
        raise InvalidInput(f"fee terms: pool.by must be one of {', '.join(POOL_BASES)}")
    return Pool(_amount("pool.amount", raw["amount"]), by)


def fee_terms_from_dict(raw: object) -> FeeTerms:
    """Validate fee terms given as a mapping; unknown fields and floats are refused."""
    if not isinstance(raw, dict) or not isinstance(raw.get("currency"), str):
        raise InvalidInput('fee terms need a "currency" (ISO 4217, e.g. "GBP")')
    currency = raw["currency"].upper()
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput(f"fee terms: currency {raw['currency']!r} is not an ISO 4217 code")
    unknown = set(raw) - {*AMOUNT_FIELDS, "currency", "pool", "period"}
    if unknown:
        raise InvalidInput(f"unknown fee-terms fields: {', '.join(sorted(unknown))}")
    amounts = {name: _amount(name, raw[name]) for name in AMOUNT_FIELDS if name in raw}
    pool = _pool(raw["pool"]) if "pool" in raw else None
    return FeeTerms(currency=currency, pool=pool, period=raw.get("period"), **amounts)


def fee_terms_from_json(text: str) -> FeeTerms:
    """Parse fee terms from JSON text (numbers are read as exact decimals)."""
    try:
        raw: Any = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"fee terms are not valid JSON: {exc}") from exc
    return fee_terms_from_dict(raw)


def fee_terms_to_dict(terms: FeeTerms) -> dict[str, Any]:
    """Fee terms as plain JSON-ready data, amounts as decimal strings."""
    data: dict[str, Any] = {"currency": terms.currency}
    for name in AMOUNT_FIELDS:
        value = getattr(terms, name)
        if value is not None:
            data[name] = str(value)
    if terms.pool is not None:
        data["pool"] = {"amount": str(terms.pool.amount), "by": terms.pool.by}
    if terms.period is not None:
        data["period"] = terms.period
    return data
