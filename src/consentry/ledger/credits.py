"""Attribution: every creator of every work a model used, grouped by work, in a stable order.

Works are ordered by title (case-insensitively), then id; creators in the order
the work lists them, each with its role and identifiers (ISNI, IPI, ORCID).
Items used under an open licence follow, by item id, with the attribution
their records carried. The same credits come out as text (``CREDITS``), JSON
and HTML, and the one-line :attr:`WorkCredits.text` is what an answer that
used the work shows.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from consentry.domain import Party, Work
from consentry.ledger.records import OpenUse

_IDENTIFIERS = ("isni", "ipi", "orcid")


@dataclass(frozen=True, slots=True)
class Credit:
    """A creator as credited: name, role and identifiers."""

    party_id: str
    name: str
    role: str
    identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class WorkCredits:
    """A work's title and creators, and the line that credits them."""

    work_id: str
    title: str
    creators: tuple[Credit, ...]

    @property
    def text(self) -> str:
        """``Title — Name (role), Name (role)``."""
        names = ", ".join(f"{c.name} ({c.role})" for c in self.creators)
        return f"{self.title} — {names}" if names else self.title


def work_credits(work: Work, parties: Mapping[str, Party]) -> WorkCredits:
    """The credits of one work, from its contributions and the parties' records."""
    credits = []
    for c in work.contributions:
        party = parties[c.party_id]
        ids = tuple((k, v) for k in _IDENTIFIERS if (v := getattr(party, k)) is not None)
        credits.append(Credit(party.id, party.name, str(c.role), ids))
    return WorkCredits(work.id, work.title, tuple(credits))


def ordered(credits: Sequence[WorkCredits]) -> list[WorkCredits]:
    """Credits in their stable order: by title (case-insensitive), then work id."""
    return sorted(credits, key=lambda w: (w.title.casefold(), w.work_id))


def open_text(use: OpenUse) -> str:
    """The credit line of an open-licence item."""
    who = use.attribution or "attribution not given in the record"
    where = f" <{use.source}>" if use.source else ""
    return f"{use.item_id}{where} — {who} ({use.licence})"


def credits_json(
    model: str, version: str, works: Sequence[WorkCredits], opens: Sequence[OpenUse]
) -> dict[str, object]:
    """The credits as JSON-ready data."""
    return {
        "model": model,
        "version": version,
        "works": [
            {
                "work_id": w.work_id,
                "title": w.title,
                "creators": [
                    {"id": c.party_id, "name": c.name, "role": c.role, **dict(c.identifiers)}
                    for c in w.creators
                ],
                "credit": w.text,
            }
            for w in ordered(works)
        ],
        "open_licence_items": [
            {
                "item_id": o.item_id,
                "source": o.source,
                "licence": o.licence,
                "attribution": o.attribution,
                "credit": open_text(o),
            }
            for o in opens
        ],
    }


def credits_text(
    model: str, version: str, works: Sequence[WorkCredits], opens: Sequence[OpenUse]
) -> str:
    """The ``CREDITS`` file: one block per work, then the open-licence items."""
    out = [f"Credits for {model} {version}", ""]
    for w in ordered(works):
        out.append(f"{w.title} [{w.work_id}]")
        for c in w.creators:
            ids = "".join(f", {k.upper()} {v}" for k, v in c.identifiers)
            out.append(f"  {c.name} ({c.role}{ids})")
        out.append("")
    if opens:
        out += ["Used under open licences", ""]
        out += [f"  {open_text(o)}" for o in opens]
        out.append("")
    return "\n".join(out)


def credits_html(
    model: str, version: str, works: Sequence[WorkCredits], opens: Sequence[OpenUse]
) -> str:
    """The credits as a small, printable HTML page."""
    e = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><meta charset="utf-8">',
        f"<title>Credits for {e(model)} {e(version)}</title>",
        f"<h1>Credits for {e(model)} {e(version)}</h1>",
    ]
    for w in ordered(works):
        parts.append(f'<section id="{e(w.work_id)}"><h2>{e(w.title)}</h2><ul>')
        for c in w.creators:
            ids = "".join(f", {e(k.upper())} {e(v)}" for k, v in c.identifiers)
            parts.append(f"<li>{e(c.name)} ({e(c.role)}{ids})</li>")
        parts.append("</ul></section>")
    if opens:
        parts.append("<h2>Used under open licences</h2><ul>")
        parts += [f"<li>{e(open_text(o))}</li>" for o in opens]
        parts.append("</ul>")
    return "\n".join(parts) + "\n"
