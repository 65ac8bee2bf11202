"""The compiled probe kernel of the image index gives what the numpy reference gives, bit for bit.

Candidates (rows, in the reference's order, and the count per query hash) and
distances are compared on arbitrary stored sets (tables narrower than the
chunks included), query hashes near stored ones, through memory maps, and on
the edges (no rows, all bits different). Under CI the kernel must be built: a
missing build fails here instead of silently running the slow path.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.fingerprint.image import IMAGE_SCHEME, ImageFingerprint
from consentry.matching import image_tables
from consentry.matching.image_index import ImageIndex
from consentry.matching.image_tables import CHUNKS, REACH, HashTables, distances

built = pytest.mark.skipif(
    not image_tables.BUILT, reason="probe kernel not built (pip install -e .)"
)


def test_the_kernel_is_built_under_ci() -> None:
    if os.environ.get("CI") != "true":
        pytest.skip("only CI insists on the compiled kernel")
    assert image_tables.BUILT, "the probe kernel did not build: pip install -e . must compile it"
    assert image_tables.ACTIVE, "CONSENTRY_IMAGE_KERNEL=0 must not be set in CI"


def _same(stored: np.ndarray, tables: HashTables, q_hashes: np.ndarray) -> None:
    got = tables.candidates(q_hashes, kernel=True)
    want = tables.candidates(q_hashes, kernel=False)
    rows, per_query = want
    assert got[0].dtype == rows.dtype and got[1].dtype == per_query.dtype
    assert np.array_equal(got[0], rows) and np.array_equal(got[1], per_query)
    d_got = distances(stored, rows, q_hashes, per_query, kernel=True)
    d_want = distances(stored, rows, q_hashes, per_query, kernel=False)
    assert d_got.dtype == d_want.dtype
    assert np.array_equal(d_got, d_want)


@built
@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    rows=st.integers(1, 3000),
    queries=st.integers(1, 16),
    near=st.integers(0, 40),
)
def test_the_kernel_finds_and_measures_what_the_reference_does(
    seed: int, rows: int, queries: int, near: int
) -> None:
    rng = np.random.default_rng(seed)
    stored = rng.integers(0, 256, (rows, 32), dtype=np.uint8)
    q_hashes = rng.integers(0, 256, (queries, 32), dtype=np.uint8)
    bits = np.unpackbits(stored[rng.integers(rows)])  # one query hash near a stored one
    bits[rng.choice(256, near, replace=False)] ^= 1
    q_hashes[rng.integers(queries)] = np.packbits(bits)
    _same(stored, HashTables.build(stored), q_hashes)


@built
def test_the_kernel_reads_memory_mapped_tables_and_narrow_hash_records(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    stored = rng.integers(0, 256, (5000, 32), dtype=np.uint8)
    tables = HashTables.build(stored)
    for name, array in (("h", stored), ("o", tables.offsets), ("p", tables.postings)):
        np.save(tmp_path / f"{name}.npy", array)
    h, o, p = (np.load(tmp_path / f"{n}.npy", mmap_mode="r") for n in "hop")
    mapped = HashTables(tables.bits, np.asarray(o), np.asarray(p))
    _same(np.asarray(h), mapped, np.concatenate([stored[:3], rng.integers(0, 256, (4, 32))]))
    rows, per_query = mapped.candidates(stored[:3])
    assert all(
        r in rows[a:b]
        for r, a, b in zip(
            range(3), [0, *np.cumsum(per_query)[:2]], np.cumsum(per_query), strict=True
        )
    )


@built
def test_the_distance_is_exact_up_to_every_bit_different() -> None:
    stored = np.stack(
        [np.zeros(32, np.uint8), np.full(32, 255, np.uint8), np.eye(32, dtype=np.uint8)[0]]
    )
    q_hashes = np.full((1, 32), 255, np.uint8)
    rows = np.array([0, 1, 2], np.uint32)
    got = distances(stored, rows, q_hashes, np.array([3]), kernel=True)
    assert got.tolist() == [256, 0, 255]


@built
def test_the_kernel_refuses_rows_and_offsets_outside_the_arrays() -> None:
    rng = np.random.default_rng(6)
    stored = rng.integers(0, 256, (100, 32), dtype=np.uint8)
    with pytest.raises(IndexError):
        distances(stored, np.array([5, 100], np.uint32), stored[:1], np.array([2]), kernel=True)
    with pytest.raises(ValueError):
        distances(stored, np.array([5], np.uint32), stored[:1], np.array([2]), kernel=True)
    tables = HashTables.build(stored)
    corrupt = tables.offsets.copy()
    corrupt[1:] = 10_000  # every address past the end of the postings
    with pytest.raises(ValueError, match="corrupt"):
        HashTables(tables.bits, corrupt, tables.postings).candidates(stored[:1], kernel=True)
    short = HashTables(tables.bits, tables.offsets[:-5], tables.postings)
    with pytest.raises(ValueError, match="smaller"):
        short.candidates(stored[:1], kernel=True)
    assert tables.postings.shape[0] == CHUNKS


@built
@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), works=st.integers(1, 300), delta=st.integers(0, 5))
def test_the_index_finds_the_same_triples_through_either_path(
    seed: int, works: int, delta: int
) -> None:
    rng = np.random.default_rng(seed)
    stored = rng.integers(0, 256, (works * 3, 32), dtype=np.uint8)
    index = ImageIndex.from_parts(
        [f"w{i}" for i in range(works)],
        (
            stored,
            np.repeat(np.arange(works, dtype=np.uint32), 3),
            np.tile(np.arange(3, dtype=np.uint16), works),
        ),
    )
    for i in range(delta):  # unindexed works too (the delta scan)
        index.add(
            f"d{i}",
            ImageFingerprint(IMAGE_SCHEME, rng.integers(0, 256, (2, 32), dtype=np.uint8), 100),
        )
    bits = np.unpackbits(stored[rng.integers(works * 3)], axis=-1)
    bits[rng.choice(256, int(rng.integers(0, REACH + 1)), replace=False)] ^= 1
    q_hashes = np.concatenate(
        [np.packbits(bits)[None], rng.integers(0, 256, (12, 32), dtype=np.uint8)]
    )
    found = []
    for active in (True, False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(image_tables, "ACTIVE", active)
            found.append(index.within(q_hashes, REACH))
    for got, want in zip(*found, strict=True):
        assert got.dtype == want.dtype and np.array_equal(got, want)
    assert found[0][0].size >= 1  # the planted hash
