"""Signals in an HTML page's ``<meta>`` tags: robots ``noai``/``noimageai`` and TDMRep.

Parsed with selectolax's Lexbor engine (a real HTML5 parser: comments,
scripts, marked sections and broken markup handled as browsers do), reading
only the first ``HEAD_BYTES`` of the page, where the head is.
"""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from consentry.signals.base import Signal
from consentry.signals.crosswalk import uses_for
from consentry.signals.headers import robots_directives, tdmrep_signal

HEAD_BYTES = 256 * 1024


def _metas(html: str) -> list[tuple[str, str]]:
    found = []
    for node in LexborHTMLParser(html).css("meta"):
        named = {k.lower(): (v or "") for k, v in node.attributes.items()}
        if "name" in named and "content" in named:
            found.append((named["name"].strip().lower(), named["content"]))
    return found


def looks_like_html(data: bytes) -> bool:
    """True when ``data`` starts like an HTML document."""
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")) or b"<html" in head


def from_html(data: bytes, where: str = "html") -> list[Signal]:
    """Every reservation or permission in the page's meta tags."""
    found: list[Signal] = []
    metas = _metas(data[:HEAD_BYTES].decode("utf-8", "replace"))
    policy = next((c for n, c in metas if n == "tdm-policy"), None)
    for name, content in metas:
        if name == "tdm-reservation":
            found.append(tdmrep_signal(content, policy, f"{where}:meta tdm-reservation"))
        elif name == "robots" or uses_for("robots_agents", name) is not None:
            prefix = "" if name == "robots" else f"{name}: "
            found += robots_directives(prefix + content, f"{where}:meta {name}")
    return found
