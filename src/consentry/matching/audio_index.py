"""An index of registered recordings that finds re-encodes, near copies and excerpts.

Postings are parallel arrays sorted by Chromaprint sub-fingerprint (value,
work number, frame in the work): each item frame is one ``np.searchsorted``,
and every hit votes for a (work, offset) pair. Re-encodes keep a fair share
of sub-fingerprints bit-exact, so the true alignment collects votes far above
chance. The best few offsets per work are then verified: the bit similarity
(1 - popcount(xor) / 32) over the overlap of item and work at that offset.
The arrays can be memory-mapped from disk (:mod:`audio_store`); additions go
to a delta searched beside them; removals are tombstones until
:meth:`AudioIndex.compact`.

Decisions (:class:`AudioThresholds`, calibrated in ``bench/AUDIO.md``: the
dev set's transformed copies score >= 0.85 similarity, 10 dB noise the
lowest; unrelated tracks rarely reach 0.6 over 7 s, but a steady,
narrow-band sound (a cricket loop against a held tone) reached 0.81,
because such sounds hold most Chromaprint bits still and still bits agree
by chance; hence the second test below):

- ``exact``: every bit equal (similarity >= ``exact``) over an overlap
  covering ``cover`` of both the item and the work: the same decoded audio.
- ``near``: similarity >= ``similar`` with the same cover.
- ``excerpt``: similarity >= ``similar`` over an overlap of at least
  ``excerpt_seconds`` (the item inside the work or the work inside the item).
  Chromaprint yields no codes for the last ~2.5 s of a clip, so 7 s of
  aligned codes is a clip of about 10 s.
- Every kind also needs the agreement beyond chance
  (:func:`agreement_beyond_chance`, Cohen's kappa over the bits, given each
  run's own bit base rates) >= ``beyond_chance`` = ``2 * similar - 1``: the
  same bar as ``similar`` where bits vary freely (music), higher where they
  hold still, so near-constant bits cannot carry a match.

Evidence: ``item_offset_s`` and ``work_offset_s`` (where the aligned span
starts in each), ``duration_s``, ``similarity`` and ``beyond_chance``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.errors import InvalidInput
from consentry.fingerprint.audio import FRAME_SECONDS, AudioFingerprint, audio_refusal
from consentry.matching.types import Match, MatchKind, MatchResult

U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class AudioThresholds:
    """The calibrated decision thresholds (see the module docstring)."""

    exact: float = 1.0
    similar: float = 0.72
    cover: float = 0.9
    excerpt_seconds: float = 7.0
    min_votes: int = 3
    candidates: int = 8
    max_postings: int = 256
    smooth: int = 16
    beyond_chance: float = 0.44  # 2 * similar - 1: see agreement_beyond_chance


def bit_similarity(a: U32, b: U32) -> float:
    """Share of equal bits between two equal-length sub-fingerprint runs."""
    if len(a) == 0:
        return 0.0
    diff = np.bitwise_xor(a, b).view(np.uint8)
    return 1.0 - float(np.unpackbits(diff).sum()) / (32 * len(a))


def _bits(codes: U32) -> npt.NDArray[np.uint8]:
    """One row of 32 bits (0/1) per sub-fingerprint."""
    return np.unpackbits(np.ascontiguousarray(codes, np.uint32).view(np.uint8)).reshape(-1, 32)


def agreement_beyond_chance(a: U32, b: U32) -> float:
    """Cohen's kappa of the bits of two aligned runs, pooled over the 32 bit positions.

    Two unrelated runs whose bit ``j`` is set in a share ``p`` and ``q`` of
    their frames agree on it by chance in ``p*q + (1-p)*(1-q)`` of frames:
    half for bits that vary, nearly all for bits that hardly change (a steady,
    narrow-band sound holds most Chromaprint bits). Kappa = (observed -
    chance) / (1 - chance), summed over bits, so a bit counts by how much it
    varies. 1 = every bit equal, 0 = no more agreement than the bits' base
    rates give; where every bit is balanced it is ``2 * similarity - 1``.
    Runs in which no bit varies carry no evidence and score 0.
    """
    if len(a) == 0:
        return 0.0
    x, y = _bits(a), _bits(b)
    p, q = x.mean(0), y.mean(0)
    observed = (x == y).mean(0)
    chance = p * q + (1 - p) * (1 - q)
    room = float((1 - chance).sum())
    if room <= 0:
        return 0.0
    return float((observed - chance).sum()) / room


class AudioIndex:
    """Registered recordings' Chromaprint codes, searchable by sub-fingerprint votes."""

    def __init__(self, thresholds: AudioThresholds | None = None) -> None:
        self.thresholds = thresholds or AudioThresholds()
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.codes: list[U32] = []
        self.alive: list[bool] = []
        self.keys: U32 = np.zeros(0, np.uint32)
        self.works: I64 = np.zeros(0, np.int64)
        self.frames: I64 = np.zeros(0, np.int64)
        self.indexed = 0

    def __len__(self) -> int:
        return len(self.number)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.number

    def add(self, work_id: str, fp: AudioFingerprint) -> None:
        """Register ``fp`` as ``work_id``; low-information audio is refused."""
        if work_id in self.number:
            raise InvalidInput(f"audio work {work_id!r} is already in the index")
        why = audio_refusal(fp)
        if why is not None:
            raise InvalidInput(f"audio work {work_id!r} cannot be indexed: {why}")
        self.number[work_id] = len(self.ids)
        self.ids.append(work_id)
        self.codes.append(np.ascontiguousarray(fp.codes, dtype=np.uint32))
        self.alive.append(True)

    def remove(self, work_id: str) -> None:
        """Forget ``work_id`` (a tombstone until :meth:`compact`)."""
        n = self.number.pop(work_id, None)
        if n is None:
            raise InvalidInput(f"audio work {work_id!r} is not in the index")
        self.alive[n] = False

    def compact(self) -> None:
        """Rebuild the sorted postings over every live work, dropping tombstones."""
        live = [n for n, ok in enumerate(self.alive) if ok]
        self.ids = [self.ids[n] for n in live]
        self.codes = [self.codes[n] for n in live]
        self.alive = [True] * len(live)
        self.number = {w: n for n, w in enumerate(self.ids)}
        self.keys, self.works, self.frames = _postings(self.codes, 0)
        self.indexed = len(self.ids)

    def query(self, fp: AudioFingerprint) -> MatchResult:
        """The registered works in ``fp``, or a refusal for low-information audio."""
        why = audio_refusal(fp)
        if why is not None:
            return MatchResult(refused=why)
        votes = self._votes(fp.codes)
        matches = [m for m in (self._best(fp.codes, w, off) for w, off in votes) if m]
        best: dict[str, Match] = {}
        for m in matches:
            if m.work_id not in best or m.score > best[m.work_id].score:
                best[m.work_id] = m
        return MatchResult(matches=tuple(sorted(best.values(), key=lambda m: -m.score)))

    def _votes(self, item: U32) -> list[tuple[int, int]]:
        """The (work, offset // 2) pairs with the most votes, at least ``min_votes`` each."""
        t = self.thresholds
        delta = _postings(self.codes[self.indexed :], self.indexed)
        work_hits: list[I64] = []
        offset_hits: list[I64] = []
        for keys, works, frames in ((self.keys, self.works, self.frames), delta):
            lo = np.searchsorted(keys, item, "left")
            hi = np.searchsorted(keys, item, "right")
            for pos, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
                if 0 < b - a <= t.max_postings:
                    work_hits.append(np.asarray(works[a:b], np.int64))
                    offset_hits.append((np.asarray(frames[a:b], np.int64) - pos) // 2)
        if not work_hits:
            return []
        pairs = np.stack([np.concatenate(work_hits), np.concatenate(offset_hits)], axis=1)
        uniq, counts = np.unique(pairs, axis=0, return_counts=True)
        order = np.argsort(-counts, kind="stable")[: t.candidates]
        return [
            (int(uniq[i, 0]), int(uniq[i, 1]))
            for i in order
            if counts[i] >= t.min_votes and self.alive[int(uniq[i, 0])]
        ]

    def _best(self, item: U32, work: int, pair: int) -> Match | None:
        """The best match over the offsets of one two-frame vote bin (sub-frame shifts)."""
        found = [self._verify(item, work, 2 * pair + d) for d in (-1, 0, 1, 2)]
        return max((m for m in found if m), key=lambda m: m.score, default=None)

    def _verify(self, item: U32, work: int, offset: int) -> Match | None:
        """The match of ``item`` with ``work`` when aligned at ``offset``, if any."""
        t = self.thresholds
        codes = self.codes[work]
        start_i, start_w = max(0, -offset), max(0, offset)
        span = min(len(item) - start_i, len(codes) - start_w)
        if span <= 0:
            return None
        a, b = item[start_i : start_i + span], codes[start_w : start_w + span]
        first, span = _aligned_run(a, b, t.similar, t.smooth)
        start_i, start_w = start_i + first, start_w + first
        a, b = a[first : first + span], b[first : first + span]
        sim = bit_similarity(a, b)
        whole = span >= t.cover * len(item) and span >= t.cover * len(codes)
        if sim < t.similar or (not whole and span * FRAME_SECONDS < t.excerpt_seconds):
            return None
        kappa = agreement_beyond_chance(a, b)
        if kappa < t.beyond_chance:
            return None
        kind = MatchKind.EXCERPT
        if whole:
            kind = MatchKind.EXACT if sim >= t.exact else MatchKind.NEAR
        evidence = {
            "item_offset_s": round(start_i * FRAME_SECONDS, 2),
            "work_offset_s": round(start_w * FRAME_SECONDS, 2),
            "duration_s": round(span * FRAME_SECONDS, 2),
            "similarity": round(sim, 4),
            "beyond_chance": round(kappa, 4),
        }
        return Match(self.ids[work], kind, sim, evidence)


def _aligned_run(a: U32, b: U32, similar: float, smooth: int) -> tuple[int, int]:
    """(start, length) of the longest run where the ``smooth``-frame mean similarity holds.

    Trims unrelated audio around an excerpt (a work inside a longer item)
    so that it does not dilute the similarity of the matching span; the run's
    ends are then moved in to the first and last frames that match alone.
    """
    equal = 32 - np.unpackbits(np.bitwise_xor(a, b).view(np.uint8)).reshape(-1, 32).sum(1)
    window = min(smooth, len(a))
    kernel = np.ones(window)
    mean = np.convolve(equal / 32.0, kernel, "same") / np.convolve(np.ones(len(a)), kernel, "same")
    good = np.concatenate([[False], mean >= similar, [False]])
    edges = np.flatnonzero(np.diff(good.astype(np.int8)))
    if len(edges) == 0:
        return 0, 0
    starts, ends = edges[::2], edges[1::2]
    best = int(np.argmax(ends - starts))
    start, end = int(starts[best]), int(ends[best])
    frame_ok = np.flatnonzero(equal[start:end] >= 32 * similar)
    if len(frame_ok) == 0:
        return 0, 0
    return start + int(frame_ok[0]), int(frame_ok[-1] - frame_ok[0]) + 1


def _postings(codes: list[U32], first: int) -> tuple[U32, I64, I64]:
    """(value, work number, frame) arrays over ``codes``, sorted by value."""
    if not codes:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64), np.zeros(0, np.int64)
    keys = np.concatenate(codes)
    works = np.repeat(np.arange(first, first + len(codes), dtype=np.int64), [len(c) for c in codes])
    frames = np.concatenate([np.arange(len(c), dtype=np.int64) for c in codes])
    order = np.argsort(keys, kind="stable")
    return keys[order], works[order], frames[order]
