"""Registered videos' frame segments, searched by PDQ distance and aligned in time.

Each video work's ``video-frames-v1`` segment hashes are held in an
:class:`~consentry.matching.image_index.ImageIndex` (the image matcher's
multi-index Hamming search, not a linear scan), one entry per work whose rows
are its segments. Row 0 of every entry is a sentinel that cannot match (all
bits zero: a PDQ hash has about half its bits set), so that every real
segment is a "region" of the entry and the index answers, for one item
frame, each work's *closest* segment rather than preferring row 0.

A query hashes the item's frames (:func:`frames_fingerprint`, one a second),
asks the index for every item segment, and then aligns in time: each
(item segment, work segment) pair allows a range of offsets (work time minus
item time); the offset that the most distinct item segments agree on, within
``tolerance``, wins. Decisions (:class:`VideoThresholds`, calibrated in
``bench/VIDEO.md``):

- at least ``min_frames`` distinct item segments within ``distance`` bits,
  agreeing on one offset;
- ``near``: the aligned span covers ``cover`` of both the item and the work
  (of their informative stretch: flat frames at either end do not count);
- ``excerpt``: otherwise, an aligned span of at least ``excerpt_seconds``.

A query fingerprint that carries ``mirrored`` hashes (every corpus item's)
is aligned twice, as shown and flipped left-right, and each work keeps the
better of the two (the stronger kind, then more agreeing frames; the shown
orientation on a tie): a mirrored re-upload is found from the work's stored,
unmirrored segments.

Evidence: ``frames`` (how many item segments agree), ``item_start_s``,
``item_end_s``, ``work_start_s``, ``work_end_s``, ``offset_s``,
``max_distance``, ``item_times_s`` (up to ten matched item frame times) and
``mirrored`` (whether the item shows the work flipped left-right).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME, ImageFingerprint
from consentry.fingerprint.video import VideoFingerprint, frames_refusal
from consentry.matching.image_index import ImageIndex
from consentry.matching.types import Match, MatchKind, MatchResult

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]
_SENTINEL = np.zeros((1, 32), np.uint8)
_QUALITY = 100


@dataclass(frozen=True, slots=True)
class VideoThresholds:
    """The calibrated decision thresholds (see the module docstring)."""

    distance: int = 24
    tolerance: float = 1.5
    min_frames: int = 3
    excerpt_seconds: float = 10.0
    cover: float = 0.8


@dataclass(frozen=True, slots=True)
class Pair:
    """One item segment close to one work segment."""

    item: int
    work_start: float
    work_end: float
    distance: int


class VideoIndex:
    """Video works' frame segments and their times, searchable by item frames."""

    def __init__(self, thresholds: VideoThresholds | None = None) -> None:
        self.thresholds = thresholds or VideoThresholds()
        self.frames = ImageIndex()
        self.times: dict[str, tuple[F32, F32, float]] = {}

    def __len__(self) -> int:
        return len(self.times)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.times

    def add(self, work_id: str, fp: VideoFingerprint) -> None:
        """Register ``fp`` as ``work_id``; a picture with too little information is refused."""
        if work_id in self.times:
            raise InvalidInput(f"video work {work_id!r} is already in the index")
        why = frames_refusal(fp)
        if why is not None:
            raise InvalidInput(f"video work {work_id!r} cannot be indexed: {why}")
        rows = np.concatenate([_SENTINEL, fp.hashes.astype(np.uint8)])
        self.frames.add(work_id, ImageFingerprint(IMAGE_SCHEME, rows, _QUALITY))
        self.times[work_id] = (fp.starts, fp.ends, fp.duration)

    def remove(self, work_id: str) -> bool:
        """Forget ``work_id``; False when it was not there."""
        self.frames.remove(work_id)
        return self.times.pop(work_id, None) is not None

    def compact(self) -> None:
        """Index every segment added since the last compaction."""
        self.frames.compact()

    def query(self, fp: VideoFingerprint) -> MatchResult:
        """The registered videos whose frames ``fp`` shows in the same order, or a refusal."""
        why = frames_refusal(fp)
        if why is not None:
            return MatchResult(refused=why)
        best: dict[str, Match] = {}
        orientations = [(False, fp.hashes)]
        if fp.mirrored is not None and len(fp.mirrored) == len(fp):
            orientations.append((True, fp.mirrored))
        for mirrored, hashes in orientations:
            for work_id, pairs in sorted(self._pairs(hashes).items()):
                m = self._decide(fp, work_id, pairs, mirrored)
                if m is not None and (work_id not in best or _rank(m) > _rank(best[work_id])):
                    best[work_id] = m
        return MatchResult(tuple(sorted(best.values(), key=lambda m: -m.score)))

    def _pairs(self, hashes: npt.NDArray[np.uint8]) -> dict[str, list[Pair]]:
        """Per work, the (item segment, work segment) pairs within ``distance`` bits."""
        pairs: dict[str, list[Pair]] = {}
        for i in range(len(hashes)):
            one = ImageFingerprint(IMAGE_SCHEME, hashes[i : i + 1], _QUALITY)
            for m in self.frames.query(one).matches:
                found = self._pair(i, m.work_id, m.evidence)
                if found is not None:
                    pairs.setdefault(m.work_id, []).append(found)
        return pairs

    def _pair(self, item: int, work_id: str, evidence: Mapping[str, object]) -> Pair | None:
        if work_id not in self.times:
            return None
        row = int(str(evidence["work_region"])) - 1
        distance = int(str(evidence["distance"]))
        starts, ends, _ = self.times[work_id]
        if row < 0 or row >= len(starts) or distance > self.thresholds.distance:
            return None
        return Pair(item, float(starts[row]), float(ends[row]), distance)

    def _decide(
        self, fp: VideoFingerprint, work_id: str, pairs: list[Pair], mirrored: bool = False
    ) -> Match | None:
        """The match of ``fp`` (seen flipped when ``mirrored``) with one work, from its close
        segment pairs, if any."""
        t = self.thresholds
        agree = _aligned(fp, pairs, t.tolerance)
        items = sorted({p.item for p in agree})
        if len(items) < t.min_frames:
            return None
        item_start, item_end = float(fp.starts[items[0]]), float(fp.ends[items[-1]])
        work_start = min(p.work_start for p in agree)
        work_end = max(p.work_end for p in agree)
        span = item_end - item_start
        starts, ends, _ = self.times[work_id]
        item_extent = float(fp.ends.max() - fp.starts.min())  # informative frames only
        work_extent = float(ends.max() - starts.min())
        whole = span >= t.cover * item_extent and work_end - work_start >= t.cover * work_extent
        if not whole and span < t.excerpt_seconds:
            return None
        inside = np.flatnonzero((fp.starts <= item_end) & (fp.ends >= item_start))
        score = min(1.0, len(items) / max(1, len(inside)))
        evidence = {
            "frames": len(items),
            "item_start_s": round(item_start, 2),
            "item_end_s": round(item_end, 2),
            "work_start_s": round(work_start, 2),
            "work_end_s": round(work_end, 2),
            "offset_s": round(_offset(fp, agree), 2),
            "max_distance": max(p.distance for p in agree),
            "item_times_s": [round(float(fp.starts[i]), 2) for i in items[:10]],
            "mirrored": mirrored,
        }
        kind = MatchKind.NEAR if whole else MatchKind.EXCERPT
        return Match(work_id, kind, round(score, 4), evidence)


def _rank(m: Match) -> tuple[bool, int, float]:
    """How strong a frame match is: near over excerpt, then agreeing frames, then score."""
    return m.kind is MatchKind.NEAR, int(str(m.evidence["frames"])), m.score


def _aligned(fp: VideoFingerprint, pairs: list[Pair], tolerance: float) -> list[Pair]:
    """The pairs agreeing on the offset (work time - item time) most item segments allow."""
    items = np.array([p.item for p in pairs])
    lo = np.array([p.work_start - float(fp.ends[p.item]) for p in pairs]) - tolerance
    hi = np.array([p.work_end - float(fp.starts[p.item]) for p in pairs]) + tolerance
    inside = (lo[:, None] <= lo[None, :]) & (lo[None, :] <= hi[:, None])  # pair i allows cand j
    best, best_count = 0, -1
    for j in range(len(pairs)):
        count = len(set(items[inside[:, j]].tolist()))
        if count > best_count:
            best, best_count = j, count
    return [p for p, ok in zip(pairs, inside[:, best].tolist(), strict=True) if ok]


def _offset(fp: VideoFingerprint, pairs: list[Pair]) -> float:
    """The offset every agreeing pair allows (the middle of their common range), else their median.

    A pair allows (work segment start - item segment end) to (work segment end
    - item segment start): segments span several sampled frames, so one pair
    alone places the item only roughly; together they narrow it down.
    """
    lo = [p.work_start - float(fp.ends[p.item]) for p in pairs]
    hi = [p.work_end - float(fp.starts[p.item]) for p in pairs]
    if max(lo) <= min(hi):
        return (max(lo) + min(hi)) / 2
    return float(np.median([(a + b) / 2 for a, b in zip(lo, hi, strict=True)]))
