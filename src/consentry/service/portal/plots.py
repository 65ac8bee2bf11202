"""Plots drawn on the server as inline SVG: people would rather look than read.

A bar chart of counts (e.g. a scan's items included and excluded, by reason)
is built as a string with every label escaped, so it needs no JavaScript, no
plotting library and no network; screen readers get a ``<title>`` and a
``<desc>`` plus the same numbers in a table beside it on the page.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape as _escape

from markupsafe import Markup

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 300
NUMBER_WIDTH = 60
COLOURS = {"include": "#1a7f37", "exclude": "#b42318"}
"""Green and red with at least 4.5:1 contrast against white (WCAG AA)."""


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: str) -> str:
    """``text`` safe inside SVG: markup escaped, characters XML cannot hold dropped."""
    return _escape(_NOT_XML.sub("", text))


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: its label, its count and its group (``include`` or ``exclude``)."""

    label: str
    count: int
    group: str


def bar_chart(title: str, bars: Sequence[Bar]) -> Markup:
    """A horizontal bar chart as SVG markup, safe to put in a page as it is."""
    total_height = max(1, len(bars)) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + CHART_WIDTH + NUMBER_WIDTH
    most = max((b.count for b in bars), default=0) or 1
    desc = "; ".join(f"{b.label}: {b.count}" for b in bars) or "no items"
    parts = [
        f'<svg class="chart" role="img" aria-labelledby="chart-title chart-desc" '
        f'viewBox="0 0 {width} {total_height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for row, bar in enumerate(bars):
        y = GAP + row * (BAR_HEIGHT + GAP)
        length = round(CHART_WIDTH * bar.count / most) if bar.count else 0
        colour = COLOURS.get(bar.group, "#4b5563")
        middle = y + BAR_HEIGHT * 0.7
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{middle:.0f}" text-anchor="end" '
            f'class="chart-label">{escape(bar.label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="{colour}" data-group="{escape(bar.group)}"></rect>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle:.0f}" '
            f'class="chart-number">{bar.count}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def decision_bars(counts: dict[tuple[str, str], int]) -> list[Bar]:
    """Bars from ``{(decision, reason): count}``: included first, then by count, largest first."""
    ordered = sorted(counts.items(), key=lambda kv: (kv[0][0] != "include", -kv[1], kv[0][1]))
    return [Bar(f"{decision}: {reason}", n, decision) for (decision, reason), n in ordered]
