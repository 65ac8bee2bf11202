"""The image index's multi-index search finds exactly what a linear scan finds, within its reach."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME, ImageFingerprint
from consentry.matching.image_index import (
    CHUNK_BITS,
    CHUNKS,
    PROBE_RADIUS,
    ImageIndex,
    ImageThresholds,
    _chunks,
)

REACH = CHUNKS * (PROBE_RADIUS + 1) - 1


def _flip(hash_: np.ndarray, bits: list[int]) -> np.ndarray:
    unpacked = np.unpackbits(hash_)
    unpacked[bits] ^= 1
    return np.packbits(unpacked)


def _distance(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.unpackbits(np.bitwise_xor(a, b)).sum())


def test_the_chunks_cover_every_bit_once_and_read_them_big_endian() -> None:
    assert sum(width for _, width in CHUNK_BITS) == 256
    assert [first for first, _ in CHUNK_BITS] == list(
        np.cumsum([0] + [w for _, w in CHUNK_BITS])[:-1]
    )
    rng = np.random.default_rng(1)
    hashes = rng.integers(0, 256, (50, 32), dtype=np.uint8)
    bits = np.unpackbits(hashes, axis=1)
    for c, (first, width) in enumerate(CHUNK_BITS):
        expected = bits[:, first : first + width].astype(np.uint64) @ (
            np.uint64(1) << np.arange(width - 1, -1, -1, dtype=np.uint64)
        )
        assert np.array_equal(_chunks(hashes)[:, c], expected.astype(np.uint32))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    distance=st.integers(0, REACH),
    compact=st.booleans(),
)
def test_every_stored_hash_within_reach_is_found_as_a_linear_scan_finds_it(
    seed: int, distance: int, compact: bool
) -> None:
    rng = np.random.default_rng(seed)
    stored = rng.integers(0, 256, (300, 32), dtype=np.uint8)
    index = ImageIndex(ImageThresholds(near_distance=REACH, region_distance=REACH))
    for n in range(0, 300, 3):
        index.add(f"w{n // 3}", ImageFingerprint(IMAGE_SCHEME, stored[n : n + 3], 100))
    if compact:
        index.compact()
    target = int(rng.integers(0, 300))
    query = _flip(stored[target], rng.choice(256, distance, replace=False).tolist())
    regions, rows = index._candidates(query.reshape(1, 32))
    within = {r for r in range(300) if _distance(stored[r], query) <= REACH}
    assert target in within and within <= set(rows.tolist())
    assert set(regions.tolist()) <= {0}
    found = index.query(ImageFingerprint(IMAGE_SCHEME, query.reshape(1, 32), 100))
    assert f"w{target // 3}" in {m.work_id for m in found.matches}


def test_thresholds_beyond_the_index_reach_are_refused() -> None:
    with pytest.raises(InvalidInput, match="beyond the index's reach"):
        ImageThresholds(near_distance=REACH + 1)
