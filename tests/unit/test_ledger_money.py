"""Exact money: minor units, largest-remainder splits, party fractions, fee models, periods."""

from __future__ import annotations

import io
import wave
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import Contribution, FeeTerms, Pool, Rights, Split, Work, WorkKind
from consentry.errors import InvalidInput
from consentry.ledger.charges import WorkTotals, licence_charges, past_use_charges
from consentry.ledger.money import allocate, format_amount, minor_units, to_minor
from consentry.ledger.periods import parse_period, quarter_of
from consentry.ledger.splits import party_fractions, split_minor
from consentry.ledger.usage import estimate_tokens, measure_item, tally_usage, wav_seconds

D = Decimal


def test_minor_units_follow_iso_4217() -> None:
    assert (minor_units("GBP"), minor_units("JPY"), minor_units("KWD"), minor_units("CLF")) == (
        2,
        0,
        3,
        4,
    )
    assert to_minor(D("0.005"), "GBP") == 1 and to_minor(D("0.0049"), "GBP") == 0
    assert format_amount(1234, "GBP") == "12.34" and format_amount(7, "JPY") == "7"
    with pytest.raises(InvalidInput, match="ISO 4217"):
        minor_units("ZZZ")


def test_largest_remainder_gives_leftover_units_to_largest_remainders() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [D("0.5"), D("0.3"), D("0.2")]) == [5, 3, 2]
    assert allocate(5, [2, 1]) == [3, 2]  # quotas 3.33 and 1.67: the 0.67 remainder wins
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(3, [0, 0]) == [2, 1]


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.lists(
        st.decimals(min_value=0, max_value=1, places=6, allow_nan=False), min_size=1, max_size=12
    ),
)
def test_allocate_always_sums_exactly_and_stays_within_one_unit(
    total: int, weights: list[Decimal]
) -> None:
    parts = allocate(total, weights)
    assert sum(parts) == total
    whole = sum(weights, D(0))
    if whole:
        for part, w in zip(parts, weights, strict=True):
            assert abs(Fraction(part) - total * Fraction(w) / Fraction(whole)) < 1


@st.composite
def works_with_shares(draw: st.DrawFn) -> Work:
    n_creators = draw(st.integers(min_value=1, max_value=5))
    n_holders = draw(st.integers(min_value=0, max_value=3))

    def shares(n: int) -> list[Decimal | None]:
        raw = draw(st.lists(st.integers(min_value=0, max_value=100), min_size=n, max_size=n))
        total = sum(raw) or 1
        given = [D(r) / D(total) if draw(st.booleans()) else None for r in raw]
        return [
            None if g is None else g.quantize(D("0.0001"), rounding="ROUND_DOWN") for g in given
        ]

    creators = tuple(Contribution(f"c{i}", share=s) for i, s in enumerate(shares(n_creators)))
    holders = tuple(Rights(f"r{i}", share=s) for i, s in enumerate(shares(n_holders)))
    split = None
    if n_holders and draw(st.booleans()):
        part = D(draw(st.integers(min_value=0, max_value=100))) / 100
        split = Split(part, 1 - part)
    return Work("w", "W", WorkKind.TEXT, contributions=creators, rights=holders, split=split)


@given(works_with_shares(), st.integers(min_value=0, max_value=10**10))
def test_splits_among_parties_sum_exactly_to_the_amount(work: Work, amount: int) -> None:
    fractions = party_fractions(work)
    assert sum(fractions.values()) == 1
    parts = split_minor(amount, fractions)
    assert sum(parts.values()) == amount
    assert all(p >= 0 for p in parts.values())


def test_default_split_is_half_each_and_shares_within_groups() -> None:
    work = Work(
        "w",
        "W",
        WorkKind.TEXT,
        contributions=(Contribution("a", share=D("0.75")), Contribution("b")),
        rights=(Rights("pub"),),
    )
    assert party_fractions(work) == {
        "a": Fraction(3, 8),
        "b": Fraction(1, 8),
        "pub": Fraction(1, 2),
    }
    assert split_minor(1001, party_fractions(work)) == {"a": 375, "b": 125, "pub": 501}


def test_per_unit_rates_and_rounding() -> None:
    terms = FeeTerms("GBP", per_work=D("5"), per_token=D("0.0001"), per_inference_use=D("0.013"))
    works = [WorkTotals("a", items=2, tokens=12345, inference_uses=3), WorkTotals("b", items=1)]
    charges = licence_charges("lic", terms, works)
    got = [(c.work_id, c.basis, c.amount_minor) for c in charges]
    assert got == [
        ("a", "per_work", 500),
        ("a", "per_token", 123),  # 1.2345 -> 1.23
        ("a", "per_inference_use", 4),  # 0.039 -> 0.04
        ("b", "per_work", 500),
    ]


def test_pool_flat_revenue_share_minimum_and_cap() -> None:
    works = [WorkTotals("a", items=1, tokens=100), WorkTotals("b", items=2, tokens=200)]
    pool = licence_charges("l", FeeTerms("EUR", pool=Pool(D("100"), "tokens")), works)
    assert [(c.work_id, c.amount_minor) for c in pool] == [("a", 3333), ("b", 6667)]
    flat = licence_charges("l", FeeTerms("EUR", flat=D("10")), works, flat_due=False)
    assert flat == []
    share = licence_charges("l", FeeTerms("EUR", revenue_share=D("0.05")), works, revenue=D("1000"))
    assert [c.amount_minor for c in share] == [1667, 3333]
    low = licence_charges("l", FeeTerms("EUR", per_item=D("1"), minimum=D("10")), works)
    assert sum(c.amount_minor for c in low) == 1000
    assert [c.basis for c in low][-2:] == ["minimum", "minimum"]
    high = licence_charges("l", FeeTerms("EUR", per_item=D("100"), cap=D("150")), works)
    assert sum(c.amount_minor for c in high) == 15000
    assert [(c.work_id, c.amount_minor) for c in high if c.basis == "cap"] == [
        ("a", -5000),
        ("b", -10000),
    ]


def test_past_uses_are_valued_at_the_tariff_or_listed_unvalued() -> None:
    works = [WorkTotals("a", items=4)]
    valued = past_use_charges(works, FeeTerms("GBP", per_item=D("2.50")))
    assert [(c.basis, c.amount_minor, c.past_use) for c in valued] == [("per_item", 1000, True)]
    [unvalued] = past_use_charges(works, None)
    assert (unvalued.basis, unvalued.amount_minor, unvalued.quantity) == ("unvalued", 0, D(4))


def test_periods() -> None:
    q = parse_period("2026-q4")
    assert (q.name, q.start, q.end) == (
        "2026-Q4",
        datetime(2026, 10, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert parse_period("2026-11").holds(datetime(2026, 11, 30, 23, tzinfo=UTC))
    assert quarter_of(datetime(2026, 2, 1, tzinfo=UTC)).name == "2026-Q1"
    with pytest.raises(InvalidInput, match="not a period"):
        parse_period("Q4 2026")


def test_measures_and_tally() -> None:
    assert estimate_tokens("abcde") == 2 and estimate_tokens("") == 0
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\0\0" * 12000)
    assert wav_seconds(buffer.getvalue()) == D("1.5")
    assert measure_item(buffer.getvalue(), "audio").seconds == D("1.5")
    assert measure_item(b"\x89PNG", "image").images == 1
    rows: list[dict[str, Any]] = [
        {"item_id": "x", "decision": "include", "work_id": "w", "matches": []},
        {"item_id": "y", "decision": "exclude", "work_id": "v", "matches": [{"work_id": "w"}]},
        {"item_id": "z", "decision": "exclude", "work_id": None, "matches": []},
    ]
    measures = {"x": measure_item(b"abcdefgh", "text"), "y": measure_item(b"abcd", "text")}
    [only] = tally_usage(rows, measures, used="cleared", epochs=2)
    assert (only.work_id, only.items, only.bytes, only.tokens) == ("w", 2, 16, 4)
    both = tally_usage(rows, measures, used="all")
    assert [(u.work_id, u.items, u.bytes) for u in both] == [("v", 1, 4), ("w", 2, 12)]
