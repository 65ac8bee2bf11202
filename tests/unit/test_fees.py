"""Fee terms: exact decimals in and out, bad terms refused with a clear message."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import FeeTerms, Pool
from consentry.errors import InvalidInput
from consentry.fees import (
    AMOUNT_FIELDS,
    fee_terms_from_dict,
    fee_terms_from_json,
    fee_terms_to_dict,
)

amounts = st.decimals(min_value=0, max_value=10**9, places=6, allow_nan=False)


@given(
    values=st.dictionaries(st.sampled_from(AMOUNT_FIELDS), amounts),
    pool=st.none() | st.builds(Pool, amounts, st.sampled_from(["items", "tokens", "bytes"])),
)
def test_fee_terms_round_trip_exactly(values: dict[str, Decimal], pool: Pool | None) -> None:
    terms = FeeTerms(currency="GBP", pool=pool, period="quarter", **values)
    data = fee_terms_to_dict(terms)
    assert all(isinstance(v, str) for k, v in data.items() if k in AMOUNT_FIELDS)
    assert fee_terms_from_dict(data) == terms


def test_json_numbers_are_read_as_exact_decimals() -> None:
    terms = fee_terms_from_json('{"currency": "eur", "per_item": 0.1, "flat": "1000.00"}')
    assert terms.currency == "EUR"
    assert terms.per_item == Decimal("0.1")
    assert terms.flat == Decimal("1000.00")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"flat": "1"}, "currency"),
        ({"currency": "POUNDS"}, "ISO 4217"),
        ({"currency": "GBP", "flat": 0.1}, "decimal string"),
        ({"currency": "GBP", "flat": "-1"}, "non-negative"),
        ({"currency": "GBP", "flat": "ten"}, "not a decimal"),
        ({"currency": "GBP", "per_page": "1"}, "unknown fee-terms fields: per_page"),
        ({"currency": "GBP", "pool": {"amount": "5", "by": "words"}}, "pool.by"),
    ],
)
def test_bad_fee_terms_are_refused(raw: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        fee_terms_from_dict(raw)
