"""Conversions between stored values and domain values (sets, fee terms)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from consentry.domain import FeeTerms
from consentry.fees import fee_terms_from_json, fee_terms_to_dict


def dump_set(values: Iterable[str]) -> str:
    """A set of strings as a sorted JSON list (stable across runs)."""
    return json.dumps(sorted(str(v) for v in values))


def load_set(text: str) -> list[str]:
    """The inverse of :func:`dump_set`."""
    values: list[str] = json.loads(text)
    return values


def dump_fee_terms(terms: FeeTerms | None) -> str | None:
    """Fee terms as canonical JSON text (amounts as decimal strings)."""
    return None if terms is None else json.dumps(fee_terms_to_dict(terms), sort_keys=True)


def load_fee_terms(text: str | None) -> FeeTerms | None:
    """The inverse of :func:`dump_fee_terms`."""
    return None if text is None else fee_terms_from_json(text)
