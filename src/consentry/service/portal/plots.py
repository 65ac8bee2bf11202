"""Plots drawn on the server as inline SVG: people would rather look than read.

A bar chart of counts (e.g. a scan's items included and excluded, by reason)
is built as a string with every label escaped, so it needs no JavaScript, no
plotting library and no network; screen readers get a ``<title>`` and a
``<desc>`` plus the same numbers in a table beside it on the page.
"""

from __future__ import annotations

import math
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


@dataclass(frozen=True, slots=True)
class Point:
    """One period of a time chart: its label and its two amounts (stated, paid)."""

    label: str
    stated: float
    paid: float


TIME_HEIGHT = 180
TIME_BAR = 18
TIME_GAP = 14
TIME_LEFT = 70
TIME_BOTTOM = 28
TIME_COLOURS = {"stated": "#0b57d0", "paid": "#1a7f37"}
"""Blue and green, each at least 4.5:1 against white (WCAG AA)."""


def time_chart(title: str, currency: str, points: Sequence[Point]) -> Markup:
    """Amounts per period as vertical pairs of bars (stated, then paid), oldest on the left."""
    slot = 2 * TIME_BAR + TIME_GAP
    width = TIME_LEFT + max(1, len(points)) * slot + TIME_GAP
    height = TIME_HEIGHT + TIME_BOTTOM
    most = max((max(p.stated, p.paid) for p in points), default=0.0) or 1.0
    desc = "; ".join(f"{p.label}: owed {p.stated:.2f}, paid {p.paid:.2f}" for p in points)
    parts = [
        f'<svg class="chart time" role="img" aria-labelledby="time-title time-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="time-title">{escape(title)}</title>',
        f'<desc id="time-desc">{escape(desc or "no statements")}</desc>',
        f'<text x="4" y="14" class="chart-number">{most:.2f}</text>',
        f'<text x="4" y="{TIME_HEIGHT}" class="chart-number">0 {escape(currency)}</text>',
        f'<line x1="{TIME_LEFT - 4}" y1="{TIME_HEIGHT}" x2="{width}" y2="{TIME_HEIGHT}" '
        f'stroke="#4b5563"></line>',
    ]
    for n, point in enumerate(points):
        x = TIME_LEFT + n * slot
        for k, (kind, value) in enumerate((("stated", point.stated), ("paid", point.paid))):
            tall = round((TIME_HEIGHT - 20) * value / most)
            parts.append(
                f'<rect x="{x + k * TIME_BAR}" y="{TIME_HEIGHT - tall}" width="{TIME_BAR - 2}" '
                f'height="{tall}" fill="{TIME_COLOURS[kind]}" data-kind="{kind}"></rect>'
            )
        parts.append(
            f'<text x="{x}" y="{TIME_HEIGHT + 18}" class="chart-label">{escape(point.label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


@dataclass(frozen=True, slots=True)
class Series:
    """One stacked series of a month chart: its label (a model) and one value per month."""

    label: str
    values: tuple[int, ...]


SERIES_COLOURS = ("#0b57d0", "#1a7f37", "#8e24aa", "#b45309", "#b42318", "#4b5563")
"""Blue, green, purple, brown, red, grey: each at least 4.5:1 against white (WCAG AA)."""
MONTH_SLOT = 34
MONTH_BAR = 24


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last`` (``YYYY-MM``), both included, in order."""
    year, month = int(first[:4]), int(first[5:7])
    found: list[str] = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def monthly_series(rows: Sequence[tuple[str, str, int]]) -> tuple[list[str], list[Series]]:
    """Months (every one in the range, none skipped) and one series per label.

    ``rows`` are ``(month, label, amount)``; amounts of one month and label add up.
    """
    if not rows:
        return [], []
    months = months_between(min(r[0] for r in rows), max(r[0] for r in rows))
    place = {m: n for n, m in enumerate(months)}
    totals: dict[str, list[int]] = {}
    for month, label, amount in rows:
        totals.setdefault(label, [0] * len(months))[place[month]] += amount
    return months, [Series(label, tuple(v)) for label, v in sorted(totals.items())]


def month_chart(
    chart_id: str, title: str, months: Sequence[str], series: Sequence[Series]
) -> Markup:
    """Stacked bars per month (one colour per series, oldest month on the left) as SVG.

    ``chart_id`` keeps the ``<title>``/``<desc>`` ids unique when a page has
    several charts; the page puts the same numbers in a table beside it.
    """
    cid = re.sub(r"[^a-z0-9-]", "", chart_id.lower()) or "months"
    width = TIME_LEFT + max(1, len(months)) * MONTH_SLOT + TIME_GAP
    height = TIME_HEIGHT + TIME_BOTTOM
    sums = [sum(s.values[n] for s in series) for n in range(len(months))]
    most = max(sums, default=0) or 1
    desc = "; ".join(
        f"{m}: " + ", ".join(f"{s.label} {s.values[n]}" for s in series if s.values[n])
        if sums[n]
        else f"{m}: none"
        for n, m in enumerate(months)
    )
    parts = [
        f'<svg class="chart months" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc or "nothing recorded")}</desc>',
        f'<text x="4" y="14" class="chart-number">{most}</text>',
        f'<text x="4" y="{TIME_HEIGHT}" class="chart-number">0</text>',
        f'<line x1="{TIME_LEFT - 4}" y1="{TIME_HEIGHT}" x2="{width}" y2="{TIME_HEIGHT}" '
        f'stroke="#4b5563"></line>',
    ]
    for n, month in enumerate(months):
        x, top = TIME_LEFT + n * MONTH_SLOT, TIME_HEIGHT
        for k, s in enumerate(series):
            if not s.values[n]:
                continue
            tall = max(1, round((TIME_HEIGHT - 20) * s.values[n] / most))
            top -= tall
            parts.append(
                f'<rect x="{x}" y="{top}" width="{MONTH_BAR}" height="{tall}" '
                f'fill="{SERIES_COLOURS[k % len(SERIES_COLOURS)]}" data-series="{escape(s.label)}" '
                f'data-month="{month}" data-value="{s.values[n]}"></rect>'
            )
        if n % _label_step(len(months)) == 0:
            parts.append(f'<text x="{x}" y="{TIME_HEIGHT + 18}" class="chart-label">{month}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def series_colour(index: int) -> str:
    """The colour of the ``index``-th series (for the legend beside the chart)."""
    return SERIES_COLOURS[index % len(SERIES_COLOURS)]


def _label_step(months: int) -> int:
    """Label every month, every other one, or fewer: no two labels overlap, at most ~12."""
    return 1 if months <= 1 else max(2, math.ceil(months / 12))
