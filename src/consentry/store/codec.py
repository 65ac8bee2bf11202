"""Conversions between stored values and domain values (sets, fee terms)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from consentry.domain import FeeTerms, Pool

_AMOUNTS = (
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


def dump_set(values: Iterable[str]) -> str:
    """A set of strings as a sorted JSON list (stable across runs)."""
    return json.dumps(sorted(str(v) for v in values))


def load_set(text: str) -> list[str]:
    """The inverse of :func:`dump_set`."""
    values: list[str] = json.loads(text)
    return values


def dump_fee_terms(terms: FeeTerms | None) -> str | None:
    """Fee terms as JSON with every amount a decimal string, never a float."""
    if terms is None:
        return None
    data: dict[str, Any] = {"currency": terms.currency}
    for name in _AMOUNTS:
        value = getattr(terms, name)
        if value is not None:
            data[name] = str(value)
    if terms.pool is not None:
        data["pool"] = {"amount": str(terms.pool.amount), "by": terms.pool.by}
    if terms.period is not None:
        data["period"] = terms.period
    return json.dumps(data, sort_keys=True)


def load_fee_terms(text: str | None) -> FeeTerms | None:
    """The inverse of :func:`dump_fee_terms`."""
    if text is None:
        return None
    data = json.loads(text)
    pool = data.get("pool")
    return FeeTerms(
        currency=data["currency"],
        pool=Pool(Decimal(pool["amount"]), pool["by"]) if pool else None,
        period=data.get("period"),
        **{name: Decimal(data[name]) for name in _AMOUNTS if name in data},
    )
