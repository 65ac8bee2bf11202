"""HTML building blocks: escaped elements, tables and inline SVG bar charts (no scripts).

The core may not import a template engine, so pages are built from these few
functions; every text that comes from data goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
    "color:#1b1b1b}table{border-collapse:collapse;margin:1rem 0;width:100%}"
    "th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top;"
    "overflow-wrap:anywhere}"
    "th{background:#f2f2f2}code{font-size:.9em}.muted{color:#666}"
    "figure{display:inline-block;margin:0 1rem 1rem 0}figcaption{font-weight:600}"
)
BAR_COLOUR = "#3b6ea8"


def esc(value: object) -> str:
    """Text as HTML, quotes included; None as an empty string."""
    return "" if value is None else escape(str(value), quote=True)


def page(title: str, body: Iterable[str]) -> str:
    """A whole HTML document with the shared style."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def heading(level: int, text: str, anchor: str | None = None) -> str:
    """``<hN>`` with an optional id to link to."""
    ident = f' id="{esc(anchor)}"' if anchor else ""
    return f"<h{level}{ident}>{esc(text)}</h{level}>"


def para(text: str, css: str | None = None) -> str:
    """A paragraph of escaped text."""
    return f'<p class="{esc(css)}">{esc(text)}</p>' if css else f"<p>{esc(text)}</p>"


def table(header: Sequence[str], rows: Iterable[Sequence[str]], raw: bool = False) -> str:
    """A table; cells are escaped unless ``raw`` (cells already built from escaped parts)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    cell = (lambda c: c) if raw else esc
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>\n" for r in rows)
    return f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>\n</table>"


def bar_chart(title: str, counts: Mapping[str, int], *, limit: int = 12) -> str:
    """A horizontal bar chart as inline SVG: the ``limit`` largest counts, then "other"."""
    items = list(counts.items())
    if len(items) > limit:
        rest = sum(n for _, n in items[limit - 1 :])
        items = [*items[: limit - 1], ("other", rest)]
    top = max((n for _, n in items), default=0) or 1
    row, label_w, bar_w = 22, 260, 300
    height = row * len(items) + 10
    bars = []
    for index, (label, count) in enumerate(items):
        y = 5 + index * row
        width = round(bar_w * count / top)
        bars.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{esc(label[:40])}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{width}" height="{row - 6}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{label_w + width + 4}" y="{y + 15}" font-size="12">{count}</text>'
        )
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 60}" '
        f'height="{height}" aria-label="{esc(title)}"><title>{esc(title)}</title>'
        + "".join(bars)
        + "</svg>"
    )
    return f"<figure>{svg}<figcaption>{esc(title)}</figcaption></figure>"
