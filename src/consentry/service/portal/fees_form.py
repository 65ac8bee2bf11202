"""Fee terms typed into a form: a currency and one box per fee, every amount a decimal string.

The same fields serve a developer's request and a creator's counter; an
empty box is no such fee, and the whole is checked by :mod:`consentry.fees`
(so a wrong amount is a clear error and nothing is recorded).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.domain import FeeTerms
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_dict

FEE_FIELDS: tuple[tuple[str, str], ...] = (
    ("per_work", "For each work used"),
    ("flat", "A flat fee, once"),
    ("per_item", "For each item (file or record) used"),
    ("per_token", "For each token of text used"),
    ("per_second", "For each second of audio or video used"),
    ("per_inference_use", "Each time an AI uses the work while answering"),
    ("minimum", "At least this much in all, per period"),
    ("cap", "At most this much in all, per period"),
)
"""Each fee box's field name and its label (``per_work``: "for each work used")."""

MAX_AMOUNT_CHARS = 30


def fee_terms_from_form(form: Mapping[str, Any]) -> FeeTerms | None:
    """The fee terms the form gives (``fee_<name>`` boxes and ``currency``); None if no fee."""
    amounts: dict[str, str] = {}
    for name, _ in FEE_FIELDS:
        value = str(form.get(f"fee_{name}") or "").strip()
        if len(value) > MAX_AMOUNT_CHARS:
            raise InvalidInput(f"the amount for {name} is too long")
        if value:
            amounts[name] = value
    if not amounts:
        return None
    currency = str(form.get("currency") or "").strip()[:8]
    return fee_terms_from_dict({"currency": currency, **amounts})
