"""A statement's JSON body as CSV (one row per line) and as a printable HTML page."""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Mapping, Sequence
from typing import Any

CSV_COLUMNS = (
    "section",
    "work_id",
    "work_title",
    "licence_id",
    "basis",
    "quantity",
    "rate",
    "line_amount",
    "share",
    "amount",
)


def _rows(body: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
    lines: Sequence[Mapping[str, Any]] = body["lines"]
    liabilities: Sequence[Mapping[str, Any]] = body["liabilities"]
    return [("owed", x) for x in lines] + [("past_use", x) for x in liabilities]


def statement_csv(bodies: Sequence[Mapping[str, Any]]) -> str:
    """Statements as CSV: a header, then each line with its statement, party and currency."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("statement", "period", "party_id", "party_name", "currency", *CSV_COLUMNS))
    for body in bodies:
        head = (
            body["statement"],
            body["period"],
            body["party"]["id"],
            body["party"]["name"],
            body["currency"],
        )
        for section, line in _rows(body):
            values = [line[c] if line[c] is not None else "" for c in CSV_COLUMNS[1:]]
            writer.writerow((*head, section, *values))
    return out.getvalue()


def _table(title: str, lines: Sequence[Mapping[str, Any]], total: str) -> list[str]:
    e = html.escape
    head = "".join(f"<th>{e(c.replace('_', ' '))}</th>" for c in CSV_COLUMNS[1:])
    rows = [
        "<tr>" + "".join(f"<td>{e(str(x[c] or ''))}</td>" for c in CSV_COLUMNS[1:]) + "</tr>"
        for x in lines
    ]
    return [
        f"<h2>{e(title)}</h2>",
        f"<table><thead><tr>{head}</tr></thead><tbody>",
        *rows,
        f'</tbody><tfoot><tr><th colspan="8">total</th><td>{e(total)}</td></tr></tfoot></table>',
    ]


def statement_html(bodies: Sequence[Mapping[str, Any]]) -> str:
    """Statements as one printable HTML page, one section per statement."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><meta charset="utf-8"><title>consentry statements</title>',
        "<style>table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 6px}"
        "@media print{section{page-break-after:always}}</style>",
    ]
    for b in bodies:
        parts.append(f'<section id="{e(b["statement"])}">')
        parts.append(
            f"<h1>Statement {e(b['statement'])}: {e(b['party']['name'])}, "
            f"{e(b['period'])} ({e(b['currency'])})</h1>"
        )
        parts += _table("Owed", b["lines"], b["total"])
        if b["liabilities"]:
            parts += _table("Unlicensed past uses", b["liabilities"], b["liabilities_total"])
        parts.append("</section>")
    return "\n".join(parts) + "\n"
