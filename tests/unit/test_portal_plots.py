"""The server-side SVG bar chart: escaped labels, proportional bars, readable order."""

from __future__ import annotations

import re
from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from consentry.service.portal.plots import CHART_WIDTH, Bar, bar_chart, decision_bars


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
