"""Signals in HTTP response headers: TDMRep, X-Robots-Tag, Content-Usage, Content-Signal.

Header names are case-insensitive; a repeated header's values are read in
order. Each reader returns :class:`Signal` values; a value it cannot parse is
kept as ``malformed`` and, when it is a reservation header, still reserves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, cast

import http_sf

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES, older_aipref_label, uses_for

Headers = Mapping[str, str] | Iterable[tuple[str, str]]


def header_values(headers: Headers, name: str) -> list[str]:
    """Every value of header ``name`` (case-insensitive), in order."""
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    return [v for k, v in pairs if k.lower() == name]


def tdmrep_signal(reservation: str, policy: str | None, where: str) -> Signal:
    """A TDMRep ``tdm-reservation`` value (and its ``tdm-policy``) as a signal."""
    mining = uses_for("tdmrep", "tdm-reservation") or ALL_USES
    value = reservation.strip()
    if value == "1":
        return Signal("tdmrep", mining, where, value, licensing=policy)
    if value == "0":
        return Signal("tdmrep", frozenset(), where, value, allowed=mining)
    return Signal(
        "tdmrep", mining, where, value, status="malformed", note="not 0 or 1: read as reserved"
    )


def from_headers(headers: Headers, where: str = "header") -> list[Signal]:
    """Every signal in a response's headers."""
    found: list[Signal] = []
    policies = header_values(headers, "tdm-policy")
    for value in header_values(headers, "tdm-reservation"):
        found.append(
            tdmrep_signal(value, policies[0] if policies else None, f"{where}:tdm-reservation")
        )
    for value in header_values(headers, "x-robots-tag"):
        found += robots_directives(value, f"{where}:x-robots-tag")
    for value in header_values(headers, "content-usage"):
        found += content_usage(value, f"{where}:content-usage")
    for value in header_values(headers, "content-signal"):
        found += content_signal(value, f"{where}:content-signal")
    return found


def robots_directives(value: str, where: str) -> list[Signal]:
    """``noai`` / ``noimageai`` in an X-Robots-Tag or robots meta value.

    A value may name a crawler first (``GPTBot: noai``); the reservation then
    covers that crawler's uses when the cross-walk knows it, else every use.
    """
    agent, _, rest = value.partition(":") if _names_agent(value) else ("", "", value)
    found = []
    for directive in (d.strip().lower() for d in rest.split(",")):
        uses = uses_for("robots_meta", directive)
        if uses is None:
            continue
        if agent:
            uses = uses_for("robots_agents", agent.strip()) or uses
        label = f"{agent.strip()}: {directive}" if agent else directive
        found.append(Signal("robots-meta", uses, where, label))
    return found


def _names_agent(value: str) -> bool:
    head = value.split(":", 1)[0]
    return ":" in value and "," not in head and head.strip().lower() not in ("unavailable_after",)


def content_usage(value: str, where: str) -> list[Signal]:
    """IETF AI preferences: an RFC 9651 dictionary of labels to ``y`` / ``n``.

    Per draft-ietf-aipref-vocab-07: a parse failure makes every preference
    unknown; a value other than the token ``y`` or ``n`` is unknown; unknown
    labels are ignored. Labels of earlier drafts are read and noted as such.
    """
    try:
        raw = http_sf.parse(value.encode("ascii", "replace"), tltype="dictionary")
        parsed = cast(dict[str, tuple[Any, Any]], raw)
    except http_sf.StructuredFieldError as exc:
        return [Signal("aipref", frozenset(), where, value, status="unknown", note=str(exc))]
    found = []
    for label, (item, _params) in parsed.items():
        uses, note = uses_for("aipref", label), None
        if uses is None:
            uses, note = older_aipref_label(label), "a label of an earlier draft"
        if uses is None:
            continue
        answer = str(item) if isinstance(item, http_sf.Token) else None
        if answer == "n":
            found.append(Signal("aipref", uses, where, f"{label}=n", note=note))
        elif answer == "y":
            found.append(
                Signal("aipref", frozenset(), where, f"{label}=y", allowed=uses, note=note)
            )
        else:
            found.append(
                Signal("aipref", frozenset(), where, f"{label}={item!r}", status="unknown")
            )
    return found


def content_signal(value: str, where: str) -> list[Signal]:
    """Cloudflare Content-Signal: ``search=yes, ai-input=no, ai-train=no``."""
    found = []
    for part in value.split(","):
        label, _, answer = (x.strip().lower() for x in part.partition("="))
        uses = uses_for("content_signal", label)
        if uses is None:
            continue
        if answer == "no":
            found.append(Signal("content-signal", uses, where, f"{label}=no"))
        elif answer == "yes":
            found.append(Signal("content-signal", frozenset(), where, f"{label}=yes", allowed=uses))
        else:
            note = "not yes or no: read as reserved"
            found.append(
                Signal("content-signal", uses, where, part.strip(), status="malformed", note=note)
            )
    return found
