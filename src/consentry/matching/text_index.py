"""An index of registered texts that finds exact copies, near copies and excerpts.

Postings are three parallel arrays sorted by shingle hash (hash, work number,
character offset in the work): a query is one ``np.searchsorted`` per item
shingle, and the arrays can be memory-mapped from disk (:mod:`text_store`), so
a million works cost RAM only for their ids. Additions go to a small sorted
delta searched beside the main arrays; removals are tombstones until
:meth:`TextIndex.compact` rewrites the arrays without them.

Decisions (thresholds in :class:`TextThresholds`, calibrated on the dev set in
``bench/text_devset.py``; see ``bench/TEXT.md``):

- ``exact``: the ``text-v1`` content hashes are equal. Score 1.
- ``near``: at least ``near`` of the item's shingles are in the work, and at
  least ``near`` of the work's are in the item. Score: the smaller share.
- ``excerpt``: an aligned passage covers at least ``excerpt_span`` item
  shingles (about 75 words) with at least ``excerpt_density`` of them found,
  in order, in the work; or it covers at least ``work_cover`` of a short work.
  Score: the passage's density.

An item with fewer than ``min_shingles`` sampled shingles (about 40 words)
carries too little information to be told apart from common phrases: it is
matched only exactly, and otherwise refused as ``too_short``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from consentry.errors import InvalidInput
from consentry.fingerprint.text import (
    SAMPLE,
    SHINGLE,
    TEXT_SHINGLE_SCHEME,
    TextFingerprint,
    content_sha256,
    text_fingerprint,
)
from consentry.matching.text_align import passages
from consentry.matching.text_candidates import candidate_chains
from consentry.matching.text_postings import Postings
from consentry.matching.types import Match, MatchKind, MatchResult

_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True, slots=True)
class TextThresholds:
    """The calibrated decision thresholds (see the module docstring)."""

    min_shingles: int = 24
    near: float = 0.6
    excerpt_span: int = 40
    excerpt_density: float = 0.5
    work_cover: float = 0.5
    min_shared: int = 16
    gap: int = 400
    max_postings: int = 4096


class TextIndex:
    """Registered texts' fingerprints, searchable for exact, near and excerpt matches."""

    def __init__(self, thresholds: TextThresholds | None = None) -> None:
        self.thresholds = thresholds or TextThresholds()
        self.postings = Postings()
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.shingles = np.zeros(0, np.uint32)
        self.alive = np.zeros(0, np.bool_)
        self.digests: list[str | None] = []
        self.by_content: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self.number)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.number

    @property
    def scheme(self) -> str:
        """The fingerprint scheme every work in this index was fingerprinted with."""
        return TEXT_SHINGLE_SCHEME

    def add_text(self, work_id: str, text: str) -> None:
        """Fingerprint ``text`` and add it as ``work_id``."""
        self.add(work_id, text_fingerprint(text))

    def add(self, work_id: str, fp: TextFingerprint) -> None:
        """Add a work's fingerprint; a work already present under this id is replaced."""
        if fp.scheme != TEXT_SHINGLE_SCHEME:
            raise InvalidInput(
                f"fingerprint scheme {fp.scheme!r} is not {TEXT_SHINGLE_SCHEME!r}",
                hint="fingerprint the work again with this version of consentry",
            )
        if not work_id or "\n" in work_id:
            raise InvalidInput(f"work id {work_id!r} is empty or spans lines")
        if work_id in self.number:
            self.remove(work_id)
        n = len(self.ids)
        self.ids.append(work_id)
        self.number[work_id] = n
        self.shingles = _grow(self.shingles, n + 1)
        self.alive = _grow(self.alive, n + 1)
        self.shingles[n] = len(fp)
        self.alive[n] = True
        self.digests.append(fp.content_sha256)
        if fp.content_sha256:
            self.by_content.setdefault(fp.content_sha256, []).append(n)
        self.postings.add(fp.hashes, n, fp.starts)

    def remove(self, work_id: str) -> bool:
        """Remove a work; False when it was not there. Space is reclaimed by compact()."""
        n = self.number.pop(work_id, None)
        if n is None:
            return False
        self.alive[n] = False
        digest = self.digests[n]
        if digest is not None:
            works = self.by_content[digest]
            works.remove(n)
            if not works:
                del self.by_content[digest]
        return True

    def compact(self) -> None:
        """Merge the delta into the main arrays and drop removed works' postings."""
        self.postings.compact(self.alive)

    def query(self, text: str, fp: TextFingerprint | None = None) -> MatchResult:
        """Every registered work found in ``text``, best first, or why none was sought.

        ``fp`` is ``text``'s own fingerprint when the caller has it already.
        """
        if fp is None or fp.scheme != TEXT_SHINGLE_SCHEME:
            fp = text_fingerprint(text, with_content_hash=False)
        th = self.thresholds
        if len(fp) < th.min_shingles:
            exact = self._exact(content_sha256(text))
            if exact:
                return MatchResult(tuple(exact))
            words = len(text.split())
            why = (
                "no_text: no letters or digits"
                if fp.folded_chars == 0
                else (
                    f"too_short: {words} words, {fp.folded_chars} letters and digits; "
                    f"about {th.min_shingles * SAMPLE // 5} words are needed to match reliably"
                )
            )
            return MatchResult((), refused=why)
        return MatchResult(tuple(self._search(text, fp)))

    def _exact(self, digest: str) -> list[Match]:
        return [
            Match(self.ids[n], MatchKind.EXACT, 1.0, {"content_sha256": digest, "norm": "text-v1"})
            for n in self.by_content.get(digest, [])
        ]

    def _search(self, text: str, fp: TextFingerprint) -> list[Match]:
        th = self.thresholds
        digest: str | None = None
        found: list[Match] = []
        for n, ci, wp in candidate_chains(
            self.postings, self.alive, fp.hashes, th.max_postings, th.min_shared
        ):
            shared = int(ci.size)
            size = int(self.shingles[n])
            ic, wc = shared / len(fp), shared / max(size, 1)
            if ic >= 0.9 and wc >= 0.9:
                digest = digest or content_sha256(text)
                if n in self.by_content.get(digest, ()):
                    found.extend(m for m in self._exact(digest) if m.work_id == self.ids[n])
                    continue
            if shared < th.min_shared:  # neither a near copy nor a passage can qualify
                continue
            evidence: dict[str, object] = {
                "scheme": TEXT_SHINGLE_SCHEME,
                "shingle": SHINGLE,
                "item_shingles": len(fp),
                "work_shingles": size,
                "item_containment": round(ic, 4),
                "work_containment": round(wc, 4),
            }
            if ic >= th.near and wc >= th.near:
                evidence.update(_spans(fp, int(ci[0]), int(ci[-1]), int(wp[0]), int(wp[-1])))
                evidence["shared_shingles"] = shared
                found.append(Match(self.ids[n], MatchKind.NEAR, round(min(ic, wc), 4), evidence))
                continue
            starts = fp.starts[ci].astype(np.int64)
            good = [
                p
                for p in passages(ci, starts, wp, th.gap, min_shared=th.min_shared)
                if p.density >= th.excerpt_density
                and (p.span >= th.excerpt_span or p.shared >= th.work_cover * size)
            ]
            if not good:
                continue
            best = max(good, key=lambda p: (p.shared, p.density))
            evidence.update(_spans(fp, best.first, best.last, best.work_first, best.work_last))
            evidence["shared_shingles"] = best.shared
            evidence["passages"] = len(good)
            found.append(Match(self.ids[n], MatchKind.EXCERPT, round(best.density, 4), evidence))
        found.sort(key=lambda m: (_RANK[m.kind], -m.score, m.work_id))
        return found


def _grow(a: np.ndarray[Any, np.dtype[_T]], n: int) -> np.ndarray[Any, np.dtype[_T]]:
    """``a`` with room for ``n`` entries (capacity doubles, so appends are amortised O(1))."""
    if n <= a.size:
        return a
    bigger = np.zeros(max(n, 2 * a.size, 64), dtype=a.dtype)
    bigger[: a.size] = a
    return bigger


_RANK = {MatchKind.EXACT: 0, MatchKind.NEAR: 1, MatchKind.EXCERPT: 2}


def _spans(
    fp: TextFingerprint, first: int, last: int, wfirst: int, wlast: int
) -> dict[str, object]:
    """Character spans of a passage: exact in the item, in the work up to the last shingle's
    start plus the length that shingle has in the item (the index stores work starts only)."""
    end = int(fp.ends[last])
    return {
        "item_span": (int(fp.starts[first]), end),
        "work_span": (wfirst, wlast + (end - int(fp.starts[last]))),
    }
