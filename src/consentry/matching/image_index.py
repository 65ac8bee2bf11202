"""Registered images' PDQ hashes, searched by Hamming distance without a linear scan.

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming
Space with Multi-Index Hashing", CVPR 2012): each 256-bit hash is cut into
11 chunks (three of 24 bits, eight of 23), and for each chunk the index keeps
the stored hashes sorted by that chunk. Two hashes within distance 32 differ
in at most two bits of at least one chunk (pigeonhole: 11 chunks with three
or more differing bits each would make 33), so probing every chunk's exact
value and its neighbours within two bits (301 or 277 probes) finds every
stored hash within distance 32; candidates are then checked with an exact
popcount. Chunks of 23-24 bits keep the runs a probe finds short even with
tens of millions of stored hashes, which is what makes a query's cost grow
slowly with the index. Hashes added since the last :meth:`ImageIndex.compact`
are scanned directly (a small delta).

Match kinds: the query (in any of its eight orientations) against a work's
whole picture within ``near_distance`` is ``near``; any other pairing of a
query region with a work region within ``region_distance`` is ``excerpt``
(a crop, a bordered or banner-covered copy). Evidence names the two regions
and the distance, so the match can be checked by eye.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME, MIN_QUALITY, ImageFingerprint
from consentry.matching.types import Match, MatchKind, MatchResult, strongest_per_work

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
_POP = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint16)
QUERY_ORIENTATIONS = 8
# (first bit, width) of each chunk, most significant bit first: 3 x 24 + 8 x 23 = 256 bits.
CHUNK_BITS: tuple[tuple[int, int], ...] = tuple(
    (sum(24 if j < 3 else 23 for j in range(i)), 24 if i < 3 else 23) for i in range(11)
)
CHUNKS = len(CHUNK_BITS)
PROBE_RADIUS = 2  # bits per chunk; CHUNKS * (PROBE_RADIUS + 1) - 1 = 32 is the guaranteed reach
_BLOCK = 1 << 20


@dataclass(frozen=True)
class ImageThresholds:
    """Hamming distances (of 256 bits) that count as a match; see ``docs/fingerprints.md``."""

    near_distance: int = 31
    region_distance: int = 31

    def __post_init__(self) -> None:
        reach = CHUNKS * (PROBE_RADIUS + 1) - 1
        if max(self.near_distance, self.region_distance) > reach:
            raise InvalidInput(f"image thresholds above {reach} bits are beyond the index's reach")


@functools.cache
def _flips(width: int) -> U32:
    """Every mask of ``width`` bits with at most ``PROBE_RADIUS`` bits set (0 first)."""
    masks = [0]
    for r in range(1, PROBE_RADIUS + 1):
        masks += [sum(1 << b for b in bits) for bits in itertools.combinations(range(width), r)]
    return np.array(masks, dtype=np.uint32)


def _chunks(hashes: U8) -> U32:
    """The chunk keys of each hash: ``uint32[n, CHUNKS]`` (big-endian bit order)."""
    out = np.empty((hashes.shape[0], CHUNKS), np.uint32)
    for lo in range(0, hashes.shape[0], _BLOCK):
        block = np.ascontiguousarray(hashes[lo : lo + _BLOCK], dtype=np.uint8)
        words = block.view(">u8").astype(np.uint64)  # [n, 4], bit 0 = the hash's first bit
        for c, (first, width) in enumerate(CHUNK_BITS):
            word, offset = divmod(first, 64)
            spill = offset + width - 64
            if spill <= 0:
                key = words[:, word] >> np.uint64(64 - offset - width)
            else:
                key = (words[:, word] << np.uint64(spill)) | (
                    words[:, word + 1] >> np.uint64(64 - spill)
                )
            out[lo : lo + _BLOCK, c] = key & np.uint64((1 << width) - 1)
    return out


class ImageIndex:
    """Image works' region hashes, searchable by Hamming distance."""

    def __init__(self, thresholds: ImageThresholds | None = None) -> None:
        self.thresholds = thresholds or ImageThresholds()
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.hashes = np.zeros((0, 32), np.uint8)
        self.owner = np.zeros(0, np.int64)
        self.region = np.zeros(0, np.int64)
        self.sorted_keys = np.zeros((CHUNKS, 0), np.uint32)
        self.order = np.zeros((CHUNKS, 0), np.uint32)
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
        n = int(self.hashes.shape[0])
        keys = _chunks(self.hashes)
        self.sorted_keys = np.empty((CHUNKS, n), np.uint32)
        self.order = np.empty((CHUNKS, n), np.uint32)
        for c in range(CHUNKS):
            order = np.argsort(keys[:, c], kind="stable")
            self.order[c] = order
            self.sorted_keys[c] = keys[order, c]
        self.indexed = n

    def query(self, fp: ImageFingerprint) -> MatchResult:
        """Every registered image found in the queried one, or why none was sought."""
        if fp.quality < MIN_QUALITY:
            return MatchResult((), refused=f"low_information: PDQ quality {fp.quality}")
        q_hashes = np.asarray(fp.hashes, dtype=np.uint8).reshape(-1, 32)
        regions, rows = self._candidates(q_hashes)
        if rows.size == 0:
            return MatchResult(())
        distances = _POP[np.bitwise_xor(self.hashes[rows], q_hashes[regions])].sum(axis=1)
        close = np.flatnonzero(distances <= self._widest)
        found: list[Match] = []
        for q_region, row, distance in zip(
            regions[close].tolist(), rows[close].tolist(), distances[close].tolist(), strict=True
        ):
            match = self._match(row, q_region, int(distance))
            if match is not None:
                found.append(match)
        return MatchResult(strongest_per_work(found))

    @property
    def _widest(self) -> int:
        """The largest distance any pairing may match at (candidates beyond it are dropped)."""
        return max(self.thresholds.near_distance, self.thresholds.region_distance)

    def _candidates(self, q_hashes: U8) -> tuple[I64, I64]:
        """(query region, stored row) pairs sharing a chunk within two bits, for every region.

        Each chunk is probed for all regions in one ``searchsorted``, and the
        matching runs of ``order`` are gathered without a Python loop per run.
        A row found through several chunks comes back once per chunk (the
        strongest match per work is kept later, so repeats are harmless and
        cheaper than removing them). Rows added since the last compaction are
        all candidates.
        """
        q = q_hashes.shape[0]
        q_keys = _chunks(q_hashes)
        regions: list[I64] = []
        rows: list[I64] = []
        for c, (_, width) in enumerate(CHUNK_BITS):
            flips = _flips(width)
            probes = (q_keys[:, c : c + 1] ^ flips[None, :]).reshape(-1)
            by_value = np.argsort(probes, kind="stable")  # sorted needles search faster
            keys = np.asarray(self.sorted_keys[c])
            lo = np.searchsorted(keys, probes[by_value], side="left").astype(np.int64)
            inside = np.flatnonzero(lo < keys.size)
            hit = inside[keys[lo[inside]] == probes[by_value][inside]]
            if hit.size == 0:
                continue
            start = lo[hit]
            lengths = np.searchsorted(keys, probes[by_value][hit], side="right") - start
            total = int(lengths.sum())
            offsets = np.repeat(start - np.cumsum(lengths) + lengths, lengths)
            order = np.asarray(self.order[c])
            rows.append(order[offsets + np.arange(total, dtype=np.int64)].astype(np.int64))
            regions.append(np.repeat(by_value[hit] // flips.size, lengths))
        delta = np.arange(self.indexed, self.hashes.shape[0], dtype=np.int64)
        if delta.size:
            regions.append(np.repeat(np.arange(q, dtype=np.int64), delta.size))
            rows.append(np.tile(delta, q))
        if not rows:
            empty = np.zeros(0, np.int64)
            return empty, empty
        return np.concatenate(regions), np.concatenate(rows)

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
