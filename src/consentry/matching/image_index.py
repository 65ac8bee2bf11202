"""Registered images' PDQ hashes, searched by Hamming distance without a linear scan.

The stored hashes are indexed by multi-index hashing tables
(:mod:`consentry.matching.image_tables`): every stored hash within 32 bits of
a query hash is found by direct-addressed probes, then checked with an exact
popcount. Hashes added since the last :meth:`ImageIndex.compact` are
scanned directly (a small delta, held in memory); a removed work's hashes
stay until the next compaction but stop matching at once (a tombstone).

Match kinds: the query (in any of its eight orientations) against a work's
whole picture within ``near_distance`` is ``near``; any other pairing of a
query region with a work region within ``region_distance`` is ``excerpt``
(a crop, a bordered or banner-covered copy). Evidence names the two regions
and the distance, so the match can be checked by eye; of equally strong
pairings, the lowest work region and then the lowest query region is shown.

Which rows of a work are indexed depends on the PDQ quality its fingerprint
carries (:class:`ImageThresholds`): every row from ``region_quality`` up;
below that, down to ``min_quality``, the whole picture only (stored with the
region number ``WHOLE_ONLY``), matched by the query's orientations and its
border-trimmed picture only, because the crops and turns of a soft gradient
are flatter still and meet unrelated flat pictures (bench/IMAGE.md); under
``min_quality`` nothing. A query under ``min_quality`` is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.errors import InvalidInput
from consentry.fingerprint.image import (
    IMAGE_SCHEME,
    QUERY_TRIMMED,
    REGION_MIN_QUALITY,
    WHOLE_MIN_QUALITY,
    ImageFingerprint,
)
from consentry.matching.image_tables import REACH, HashTables, distances
from consentry.matching.types import Match, MatchKind, MatchResult, strongest_per_work

U8 = npt.NDArray[np.uint8]
U16 = npt.NDArray[np.uint16]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]
QUERY_ORIENTATIONS = 8
WHOLE_ONLY = 0xFFFF  # the region of a low-information work's one indexed row (its whole picture)
Rows = tuple[U8, U32, U16]  # hashes, owning work number, region within the work


@dataclass(frozen=True)
class ImageThresholds:
    """What counts as a match; see ``docs/fingerprints.md`` and bench/IMAGE.md.

    Hamming distances of 256 bits, and PDQ qualities (0-100): a work is
    indexed by every row from ``region_quality`` up, by its whole picture from
    ``min_quality`` up; a query under ``min_quality`` is refused.
    """

    near_distance: int = 31
    region_distance: int = 31
    min_quality: int = WHOLE_MIN_QUALITY
    region_quality: int = REGION_MIN_QUALITY

    def __post_init__(self) -> None:
        if max(self.near_distance, self.region_distance) > REACH:
            raise InvalidInput(f"image thresholds above {REACH} bits are beyond the index's reach")
        if not 0 <= self.min_quality <= self.region_quality <= 101:
            raise InvalidInput("image quality floors must be 0 <= min <= region <= 101")


def _no_rows() -> Rows:
    return np.zeros((0, 32), np.uint8), np.zeros(0, np.uint32), np.zeros(0, np.uint16)


class ImageIndex:
    """Image works' region hashes, searchable by Hamming distance."""

    def __init__(self, thresholds: ImageThresholds | None = None) -> None:
        self.thresholds = thresholds or ImageThresholds()
        self.ids: list[str] = []
        self.number: dict[str, int] = {}
        self.hashes, self.owner, self.region = _no_rows()  # the rows the tables cover
        self.tables = HashTables.build(self.hashes)
        self._added: list[Rows] = []
        self._delta: Rows = _no_rows()

    @classmethod
    def from_parts(
        cls,
        ids: Sequence[str],
        rows: Rows,
        tables: HashTables | None = None,
        thresholds: ImageThresholds | None = None,
    ) -> ImageIndex:
        """An index over ``rows`` of the works ``ids`` (all alive); tables built if not given.

        For loading a saved index (memory maps) and bulk builds, without one
        :meth:`add` per work.
        """
        index = cls(thresholds)
        index.ids = list(ids)
        index.number = {w: n for n, w in enumerate(index.ids)}
        if len(index.number) != len(index.ids):
            raise InvalidInput("an image index names each work once")
        index.hashes, index.owner, index.region = rows
        built = tables if tables is not None else HashTables.build(index.hashes)
        if built.rows != index.hashes.shape[0]:
            raise InvalidInput("the image index's tables do not cover its hashes")
        index.tables = built
        return index

    def __len__(self) -> int:
        return len(self.number)

    def __contains__(self, work_id: object) -> bool:
        return work_id in self.number

    def add(self, work_id: str, fp: ImageFingerprint) -> bool:
        """Add a work's hashes (a work already present is replaced); False when it is too flat.

        Which rows are indexed follows ``fp.quality`` (see :class:`ImageThresholds`).
        """
        if fp.scheme != IMAGE_SCHEME:
            raise InvalidInput(f"fingerprint scheme {fp.scheme!r} is not {IMAGE_SCHEME!r}")
        hashes = np.asarray(fp.hashes)
        if hashes.ndim != 2 or hashes.shape[1] != 32 or not 0 < hashes.shape[0] < WHOLE_ONLY:
            raise InvalidInput(f"work {work_id!r}: image hashes must be uint8[n, 32], n >= 1")
        self.remove(work_id)
        if fp.quality < self.thresholds.min_quality:
            return False
        n = len(self.ids)
        self.ids.append(work_id)
        self.number[work_id] = n
        if fp.quality < self.thresholds.region_quality:
            hashes, regions = hashes[:1], np.array([WHOLE_ONLY], np.uint16)
        else:
            regions = np.arange(hashes.shape[0], dtype=np.uint16)
        count = hashes.shape[0]
        self._added.append((hashes.astype(np.uint8), np.full(count, n, np.uint32), regions))
        return True

    def remove(self, work_id: str) -> bool:
        """Remove a work (its hashes stop matching at once)."""
        return self.number.pop(work_id, None) is not None

    def compact(self) -> None:
        """Rebuild the tables over every live work's hashes: the delta becomes indexed.

        Removed works' hashes are dropped and the works renumbered.
        """
        delta = self._pending()
        if delta[0].shape[0] == 0 and len(self.ids) == len(self.number):
            return
        hashes, owner, region = (
            np.concatenate([a, b])
            for a, b in zip((self.hashes, self.owner, self.region), delta, strict=True)
        )
        alive = np.zeros(len(self.ids), np.bool_)
        alive[list(self.number.values())] = True
        if not alive.all():
            keep = alive[owner]
            renumber = (np.cumsum(alive) - 1).astype(np.uint32)
            hashes, owner, region = hashes[keep], renumber[owner[keep]], region[keep]
            self.ids = [w for n, w in enumerate(self.ids) if alive[n]]
            self.number = {w: n for n, w in enumerate(self.ids)}
        self.hashes, self.owner, self.region = hashes, owner, region
        self.tables = HashTables.build(hashes)
        self._added, self._delta = [], _no_rows()

    def query(self, fp: ImageFingerprint) -> MatchResult:
        """Every registered image found in the queried one, or why none was sought."""
        if fp.quality < self.thresholds.min_quality:
            return MatchResult((), refused=f"low_information: PDQ quality {fp.quality}")
        q_hashes = np.ascontiguousarray(fp.hashes, dtype=np.uint8).reshape(-1, 32)
        rows, regions, dist = self.within(q_hashes, self._widest)
        owner, region = self._owners(rows)
        found: list[Match] = []
        for args in zip(
            owner.tolist(), region.tolist(), regions.tolist(), dist.tolist(), strict=True
        ):
            match = self._match(*args)
            if match is not None:
                found.append(match)
        return MatchResult(strongest_per_work(found))

    def within(self, q_hashes: U8, limit: int) -> tuple[I64, I64, I64]:
        """Every (stored row, query hash, distance) within ``limit`` bits, by row then query hash.

        Rows count the indexed hashes first, then the delta; removed works'
        rows are included (the caller drops them).
        """
        if limit > REACH:
            raise InvalidInput(f"the image index finds hashes within {REACH} bits only")
        q = int(q_hashes.shape[0])
        found, per_query = self.tables.candidates(q_hashes)
        dist = distances(self.hashes, found, q_hashes, per_query)
        close = np.flatnonzero(dist <= limit)
        parts: list[tuple[npt.NDArray[np.integer], ...]] = [
            (found[close], np.searchsorted(np.cumsum(per_query), close, "right"), dist[close])
        ]
        delta = self._pending()[0]
        if d := int(delta.shape[0]):
            every = np.tile(np.arange(d, dtype=np.int64), q)
            dist = distances(delta, every, q_hashes, np.full(q, d, np.int64))
            close = np.flatnonzero(dist <= limit)
            parts.append((close % d + self.tables.rows, close // d, dist[close]))
        rows, regions, dist = (np.concatenate(p).astype(np.int64) for p in zip(*parts, strict=True))
        _, first = np.unique(rows * q + regions, return_index=True)
        return rows[first], regions[first], dist[first]

    @property
    def _widest(self) -> int:
        """The largest distance any pairing may match at (candidates beyond it are dropped)."""
        return max(self.thresholds.near_distance, self.thresholds.region_distance)

    def _pending(self) -> Rows:
        """The rows added since the last compaction, as one set of arrays."""
        if self._added:
            self._delta = tuple(  # type: ignore[assignment]
                np.concatenate([d, *a]) for d, *a in zip(self._delta, *self._added, strict=True)
            )
            self._added = []
        return self._delta

    def _owners(self, rows: I64) -> tuple[U32, U16]:
        """The work number and work region of each row (indexed or delta)."""
        base = self.tables.rows
        indexed = rows < base
        _, d_owner, d_region = self._pending()
        owner = np.where(indexed, self.owner[np.minimum(rows, base - 1)] if base else 0, 0)
        region = np.where(indexed, self.region[np.minimum(rows, base - 1)] if base else 0, 0)
        later = np.flatnonzero(~indexed)
        owner[later] = d_owner[rows[later] - base]
        region[later] = d_region[rows[later] - base]
        return owner.astype(np.uint32), region.astype(np.uint16)

    def _match(self, n: int, w_region: int, q_region: int, distance: int) -> Match | None:
        work_id = self.ids[n]
        if self.number.get(work_id) != n:
            return None
        oriented = q_region < QUERY_ORIENTATIONS
        low = w_region == WHOLE_ONLY
        if low and not (oriented or q_region == QUERY_TRIMMED):
            return None  # a low-information work meets whole pictures only
        whole = (w_region == 0 or low) and oriented
        limit = self.thresholds.near_distance if whole else self.thresholds.region_distance
        if distance > limit:
            return None
        kind = MatchKind.NEAR if whole else MatchKind.EXCERPT
        evidence: dict[str, object] = {
            "scheme": IMAGE_SCHEME,
            "distance": distance,
            "work_region": 0 if low else w_region,
            "item_region": q_region,
        }
        if low:
            evidence["low_information"] = True
        return Match(work_id, kind, 1.0 - distance / 256, evidence)
