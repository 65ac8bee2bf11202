"""The answer of every matcher: which registered work an item matches, how, and where.

One small vocabulary shared by the text, image and audio matchers, so that the
policy layer reads a single shape. ``evidence`` is free-form per kind (text
gives character spans, images give regions) but always says *which passage*
made the match, because a creator or an auditor must be able to check it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class MatchKind(StrEnum):
    """How an item relates to a registered work.

    ``exact``: the same content after normalisation. ``near``: mostly the same
    work, changed (reflowed, OCR'd, edited, re-encoded). ``excerpt``: a
    substantial part of the work appears inside the item, or the item is a
    substantial part of the work.
    """

    EXACT = "exact"
    NEAR = "near"
    EXCERPT = "excerpt"


@dataclass(frozen=True, slots=True)
class Match:
    """One registered work found in one item.

    ``score`` is in [0, 1]; its meaning is documented per matcher (for text:
    the share of the matched passage's shingles found in the work).
    """

    work_id: str
    kind: MatchKind
    score: float
    evidence: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class MatchResult:
    """All matches of one item, or why it was not matched at all.

    ``refused`` is ``None`` when the item was searched; otherwise it names the
    reason (for example ``too_short: 12 words``) so that the caller can record
    it instead of reading an empty ``matches`` as "no registered work".
    """

    matches: tuple[Match, ...] = ()
    refused: str | None = None

    @property
    def searched(self) -> bool:
        """True when the item carried enough information to be searched."""
        return self.refused is None


_STRENGTH = {MatchKind.EXACT: 0, MatchKind.NEAR: 1, MatchKind.EXCERPT: 2}


def strongest_per_work(matches: Iterable[Match]) -> tuple[Match, ...]:
    """One match per work, the strongest kind then the highest score; strongest first.

    An item can be found by several paths (its raw hash, its content hash, the
    near-copy index); a manifest lists each work once, by its best evidence.
    """
    best: dict[str, Match] = {}
    for m in matches:
        held = best.get(m.work_id)
        if held is None or (_STRENGTH[m.kind], -m.score) < (_STRENGTH[held.kind], -held.score):
            best[m.work_id] = m
    return tuple(sorted(best.values(), key=lambda m: (_STRENGTH[m.kind], -m.score, m.work_id)))
