"""The statements' time chart and the plain words for request terms and fees."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_dict
from consentry.licensing.types import Terms
from consentry.service.portal.fees_form import fee_terms_from_form
from consentry.service.portal.plots import TIME_HEIGHT, Point, time_chart
from consentry.service.portal.words import fee_words, terms_words

amounts = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@given(
    st.lists(st.tuples(st.text(max_size=20), amounts, amounts), max_size=10), st.text(max_size=5)
)
def test_any_periods_make_well_formed_svg_with_no_markup_injected(
    rows: list[tuple[str, float, float]], currency: str
) -> None:
    svg = str(time_chart("<b>owed</b>", currency, [Point(*r) for r in rows]))
    tree = ElementTree.fromstring(svg)
    assert len(tree.findall("{http://www.w3.org/2000/svg}rect")) == 2 * len(rows)
    assert "<b>" not in svg and "<script" not in svg


def test_bars_are_as_tall_as_their_amounts() -> None:
    svg = str(time_chart("t", "GBP", [Point("2026-Q3", 100.0, 50.0), Point("2026-Q4", 25.0, 0)]))
    heights = [int(h) for h in re.findall(r'<rect [^>]*height="(\d+)"', svg)]
    full = TIME_HEIGHT - 20
    assert heights == [full, full // 2, full // 4, 0]


def test_fees_and_terms_in_words() -> None:
    fees = fee_terms_from_dict(
        {"currency": "GBP", "per_work": "150.00", "revenue_share": "0.05", "cap": "900"}
    )
    assert fee_words(fees) == [
        "150.00 GBP for each work used",
        "at most 900 GBP in all per period",
        "5% of the model's revenue",
    ]
    assert fee_words(None) == ["no fee"]
    start = datetime(2027, 1, 1, tzinfo=UTC)
    said = terms_words(Terms(frozenset({Use.AI_TRAINING, Use.SEARCH}), start, fee_terms=fees))
    assert said["uses"] == ["Training AI models", "Search indexing"]
    assert said["term"] == "from 01 January 2027, with no end date"
    assert said["territory"] == "the whole world" and said["models"].startswith("any model")


def test_fee_boxes_are_read_and_checked() -> None:
    assert fee_terms_from_form({"currency": "GBP"}) is None
    read = fee_terms_from_form({"currency": "eur", "fee_per_work": " 12.50 ", "fee_flat": ""})
    assert read is not None and read.currency == "EUR" and read.per_work == Decimal("12.50")
    assert read.flat is None
    with pytest.raises(InvalidInput, match="not a decimal"):
        fee_terms_from_form({"currency": "GBP", "fee_per_work": "lots"})
    with pytest.raises(InvalidInput, match="currency"):
        fee_terms_from_form({"currency": "", "fee_per_work": "1"})
