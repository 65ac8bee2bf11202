"""Where training items came from: domain names, source groups, licence groups.

The EU summary asks for "the top 10% of all domain names determined by the
size of content scraped" (5% or 1,000 names, whichever is lower, for small
and medium enterprises). :func:`top_domains` computes that list from the
manifests' URLs: a domain is the URL's host, lower-cased, without a leading
``www.``; its size is the sum of its items' bytes, or, when the size of some
item is not known, the number of items (and the result says which measure it
used). Ties are broken by name, so the list is stable.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from consentry.transparency.inputs import ItemFacts

SME_LIMIT = 1000


def domain_of(source: str | None) -> str | None:
    """The domain name of an http(s) URL, or None for anything else."""
    if not source:
        return None
    try:
        parts = urlsplit(source)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    return host.removeprefix("www.")


def source_key(source: str | None, corpus: str) -> str:
    """How an item's origin is grouped: its domain, or the corpus it was read from."""
    domain = domain_of(source)
    return domain if domain else f"corpus {PurePosixPath(corpus).name or corpus}"


def licence_key(item: ItemFacts) -> str:
    """Under what an item was used: the reason that included it, or an unlicensed use."""
    if not item.included:
        return "unlicensed (used without clearance)"
    return item.reasons[0] if item.reasons else "unknown"


@dataclass(frozen=True, slots=True)
class DomainList:
    """The most relevant domains, the measure used, and how many domains there were."""

    domains: tuple[tuple[str, int], ...]
    measure: str
    total_domains: int
    share: str


def top_domains(items: Iterable[ItemFacts], *, sme: bool = False) -> DomainList:
    """The top 10% of domains by content size (5% or 1,000, whichever is lower, for an SME)."""
    found = [(d, i.size) for i in items if (d := domain_of(i.source))]
    by_bytes = all(size is not None for _, size in found)
    sizes: Counter[str] = Counter()
    for domain, size in found:
        sizes[domain] += size if by_bytes and size is not None else 1
    ranked = sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))
    share = 0.05 if sme else 0.10
    keep = math.ceil(len(ranked) * share)
    if sme:
        keep = min(keep, SME_LIMIT)
    return DomainList(
        domains=tuple(ranked[:keep]),
        measure="bytes" if by_bytes else "items",
        total_domains=len(ranked),
        share="5% (at most 1,000)" if sme else "10%",
    )
