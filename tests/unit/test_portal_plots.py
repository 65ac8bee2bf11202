"""The server-side SVG bar chart: escaped labels, proportional bars, readable order."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.service.portal.plots import (
    CHART_WIDTH,
    Bar,
    bar_chart,
    decision_bars,
    month_chart,
    monthly_series,
    months_between,
)


@settings(deadline=None)  # a shared machine: no timing limit
@given(st.lists(st.tuples(st.text(max_size=30), st.integers(0, 10_000)), max_size=8))
def test_any_labels_make_well_formed_svg_with_no_markup_injected(
    rows: list[tuple[str, int]],
) -> None:
    bars = [Bar(label, count, "exclude") for label, count in rows]
    svg = str(bar_chart("<title> & co", bars))
    tree = ElementTree.fromstring(svg)
    assert tree.tag.endswith("svg")
    assert len(tree.findall("{http://www.w3.org/2000/svg}rect")) == len(bars)
    assert "<script" not in svg


def test_bars_are_proportional_and_included_comes_first() -> None:
    bars = decision_bars(
        {("exclude", "withheld"): 2, ("include", "licensed"): 1, ("exclude", "unknown"): 4}
    )
    assert [b.label for b in bars] == ["include: licensed", "exclude: unknown", "exclude: withheld"]
    svg = str(bar_chart("scan", bars))
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths == [CHART_WIDTH // 4, CHART_WIDTH, CHART_WIDTH // 2]
    assert 'fill="#1a7f37"' in svg and 'fill="#b42318"' in svg


MONTHS = st.builds(lambda y, m: f"{y:04d}-{m:02d}", st.integers(2020, 2027), st.integers(1, 12))
LABELS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
"""Model names as XML can hold them (the chart drops the characters it cannot)."""


@settings(deadline=None)  # a shared machine: no timing limit
@given(st.lists(st.tuples(MONTHS, LABELS, st.integers(0, 10**6)), max_size=12))
def test_a_month_chart_holds_exactly_the_numbers_it_was_given(
    rows: list[tuple[str, str, int]],
) -> None:
    months, series = monthly_series(rows)
    if rows:  # every month of the range, once, in order; nothing skipped
        assert months[0] == min(r[0] for r in rows) and months[-1] == max(r[0] for r in rows)
        assert months == sorted(set(months)) and all(len(s.values) == len(months) for s in series)
    for month in months:
        given_sum = sum(a for m, _, a in rows if m == month)
        assert sum(s.values[months.index(month)] for s in series) == given_sum
    svg = str(month_chart("usage-x", "<b>uses</b>", months, series))
    tree = ElementTree.fromstring(svg)
    drawn: dict[tuple[str, str], int] = {}
    for rect in tree.iter("{http://www.w3.org/2000/svg}rect"):
        key = (rect.attrib["data-month"], rect.attrib["data-series"])
        drawn[key] = drawn.get(key, 0) + int(rect.attrib["data-value"])
    wanted: dict[tuple[str, str], int] = {}
    for month, label, amount in rows:
        if amount:
            wanted[(month, label)] = wanted.get((month, label), 0) + amount
    assert drawn == {k: v for k, v in wanted.items() if v}
    assert "<b>" not in svg and "<script" not in svg


def test_months_run_across_the_new_year_and_stack_by_model() -> None:
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    months, series = monthly_series([("2024-12", "b", 2), ("2025-02", "a", 5), ("2025-02", "b", 1)])
    assert months == ["2024-12", "2025-01", "2025-02"]
    assert [(s.label, s.values) for s in series] == [("a", (0, 0, 5)), ("b", (2, 0, 1))]
    svg = str(month_chart("usage-training", "uses", months, series))
    assert 'aria-labelledby="usage-training-title usage-training-desc"' in svg
    assert "2025-01: none" in svg and "2025-02: a 5, b 1" in svg
    heights = [int(h) for h in re.findall(r'<rect [^>]*height="(\d+)"', svg)]
    assert heights == [round(160 * 2 / 6), round(160 * 5 / 6), round(160 / 6)]  # 160: full height
