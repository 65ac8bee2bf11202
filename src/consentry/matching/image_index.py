"""Registered images' PDQ hashes, searched by Hamming distance without a linear scan.

Multi-index hashing: each 256-bit hash is cut into 16 chunks of 16 bits, and
for each chunk the index keeps the stored hashes sorted by that chunk. Two
hashes within distance ``d`` agree on at least one chunk to within
``floor(d / 16)`` bits (pigeonhole), so probing every chunk's exact value and
its one-bit neighbours finds every stored hash within distance 31; candidates
are then checked with an exact popcount. Hashes added since the last
:meth:`ImageIndex.compact` are scanned directly (a small delta).

Match kinds: the query (in any of its eight orientations) against a work's
whole picture within ``near_distance`` is ``near``; any other pairing of a
query region with a work region within ``region_distance`` is ``excerpt``
(a crop, a bordered or banner-covered copy). Evidence names the two regions
and the distance, so the match can be checked by eye.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME, MIN_QUALITY, ImageFingerprint
from consentry.matching.types import Match, MatchKind, MatchResult, strongest_per_work

CHUNKS = 16
U8 = npt.NDArray[np.uint8]
I64 = npt.NDArray[np.int64]
_POP = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint16)
_FLIPS = np.array([0, *(1 << b for b in range(16))], dtype=np.uint16)
QUERY_ORIENTATIONS = 8


@dataclass(frozen=True)
class ImageThresholds:
    """Hamming distances (of 256 bits) that count as a match; see ``docs/fingerprints.md``."""

    near_distance: int = 31
    region_distance: int = 31


def _chunks(hashes: U8) -> npt.NDArray[np.uint16]:
    """The 16 big-endian 16-bit chunks of each hash: ``uint16[n, 16]``."""
    pairs = hashes.reshape(-1, CHUNKS, 2).astype(np.uint16)
    chunks = (pairs[:, :, 0] << np.uint16(8)) | pairs[:, :, 1]
    return chunks.astype(np.uint16)


class ImageIndex:
    """Image works' region hashes, searchable by Hamming distance."""

    def __init__(self, thresholds: ImageThresholds | None = None) -> None:
        self.thresholds = thresholds or ImageThresholds()
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.hashes = np.zeros((0, 32), np.uint8)
        self.owner = np.zeros(0, np.int64)
        self.region = np.zeros(0, np.int64)
        self.sorted_keys = np.zeros((CHUNKS, 0), np.uint16)
        self.order = np.zeros((CHUNKS, 0), np.int64)
        self.indexed = 0

    def __len__(self) -> int:
        return len(self.number)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.number

    def add(self, work_id: str, fp: ImageFingerprint) -> None:
        """Add a work's region hashes (a work already present is replaced)."""
        if fp.scheme != IMAGE_SCHEME:
            raise InvalidInput(f"fingerprint scheme {fp.scheme!r} is not {IMAGE_SCHEME!r}")
        self.remove(work_id)
        n = len(self.ids)
        self.ids.append(work_id)
        self.number[work_id] = n
        count = len(fp)
        self.hashes = np.concatenate([self.hashes, fp.hashes.astype(np.uint8)])
        self.owner = np.concatenate([self.owner, np.full(count, n, np.int64)])
        self.region = np.concatenate([self.region, np.arange(count, dtype=np.int64)])

    def remove(self, work_id: str) -> bool:
        """Remove a work (its hashes stop matching at once)."""
        return self.number.pop(work_id, None) is not None

    def compact(self) -> None:
        """Rebuild the chunk tables over every stored hash (the delta becomes indexed)."""
        chunks = _chunks(self.hashes).T
        self.order = np.argsort(chunks, axis=1, kind="stable").astype(np.int64)
        self.sorted_keys = np.take_along_axis(chunks, self.order, axis=1)
        self.indexed = int(self.hashes.shape[0])

    def query(self, fp: ImageFingerprint) -> MatchResult:
        """Every registered image found in the queried one, or why none was sought."""
        if fp.quality < MIN_QUALITY:
            return MatchResult((), refused=f"low_information: PDQ quality {fp.quality}")
        found: list[Match] = []
        for q_region, q_hash in enumerate(fp.hashes):
            rows = self._candidates(q_hash)
            if rows.size == 0:
                continue
            distances = _POP[np.bitwise_xor(self.hashes[rows], q_hash)].sum(axis=1)
            for row, distance in zip(rows.tolist(), distances.tolist(), strict=True):
                match = self._match(row, q_region, int(distance))
                if match is not None:
                    found.append(match)
        return MatchResult(strongest_per_work(found))

    def _candidates(self, q_hash: U8) -> I64:
        parts = [np.arange(self.indexed, self.hashes.shape[0], dtype=np.int64)]
        q_chunks = _chunks(q_hash.reshape(1, 32))[0]
        for c in range(CHUNKS):
            probes = q_chunks[c] ^ _FLIPS
            lo = np.searchsorted(self.sorted_keys[c], probes, side="left")
            hi = np.searchsorted(self.sorted_keys[c], probes, side="right")
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
                if b > a:
                    parts.append(self.order[c, a:b])
        return np.unique(np.concatenate(parts))

    def _match(self, row: int, q_region: int, distance: int) -> Match | None:
        n = int(self.owner[row])
        work_id = self.ids[n]
        if self.number.get(work_id) != n:
            return None
        w_region = int(self.region[row])
        whole = w_region == 0 and q_region < QUERY_ORIENTATIONS
        limit = self.thresholds.near_distance if whole else self.thresholds.region_distance
        if distance > limit:
            return None
        kind = MatchKind.NEAR if whole else MatchKind.EXCERPT
        evidence = {
            "scheme": IMAGE_SCHEME,
            "distance": distance,
            "work_region": w_region,
            "item_region": q_region,
        }
        return Match(work_id, kind, 1.0 - distance / 256, evidence)
