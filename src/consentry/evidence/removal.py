"""A removal, and which of a dataset version's included items it takes out (pure).

A removal takes one registered work out of one dataset version and writes a
new version without it. An included item goes when it holds the work: its raw
or normalised hash is one of the work's (``exact``), or the matching layer
finds the work in it as a near copy or an excerpt. The new manifest keeps
every row of the old one in order; removed rows become exclusions with the
reason ``removed:<removal id>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Removal:
    """One completed removal as the registry keeps it.

    ``reason`` is the requester's free text: it stays in the registry (which
    can correct or erase it) and never enters the log or the certificate.
    """

    id: str
    work_id: str
    dataset_version_id: str
    new_dataset_version_id: str
    reason: str | None
    out_dir: str
    items_removed: int
    requested_at: datetime
    completed_at: datetime
    certificate: str | None = None
    certificate_sha256: str | None = None


@dataclass(frozen=True, slots=True)
class Found:
    """An included item holding the work: how it was found, and the match's score."""

    item_id: str
    match: str
    score: float
    evidence: Mapping[str, object]


def exact_hit(row: Mapping[str, Any], work_hashes: frozenset[str]) -> Found | None:
    """The row's item when its raw or content hash is one of the work's."""
    for key in ("sha256", "content_sha256"):
        value = row.get(key)
        if value and value in work_hashes:
            return Found(row["item_id"], "exact", 1.0, {key: value})
    return None


def removed_row(
    row: Mapping[str, Any], found: Found, removal_id: str, work_id: str
) -> dict[str, Any]:
    """The old manifest row turned into an exclusion by the removal."""
    match = {
        "work_id": work_id,
        "match": found.match,
        "score": round(found.score, 4),
        "evidence": dict(found.evidence),
    }
    others = [m for m in row.get("matches") or [] if m.get("work_id") != work_id]
    return {
        **row,
        "decision": "exclude",
        "reasons": [f"{REMOVED}:{removal_id}"],
        "work_id": work_id,
        "match": found.match,
        "score": round(found.score, 4),
        "licence_id": None,
        "matches": [match, *others],
    }
