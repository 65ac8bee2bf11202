"""The image index finds exactly what a linear scan finds, within its reach, however it is held."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME, ImageFingerprint
from consentry.matching.image_index import QUERY_ORIENTATIONS, ImageIndex, ImageThresholds
from consentry.matching.image_store import load_image_index, save_image_index
from consentry.matching.image_tables import (
    CHUNK_BITS,
    CHUNK_RADIUS,
    CHUNKS,
    REACH,
    HashTables,
    address_bits,
    chunk_keys,
)
from consentry.matching.types import Match, MatchKind, strongest_per_work

PER_WORK = 3


def _flip(hash_: np.ndarray, bits: list[int]) -> np.ndarray:
    unpacked = np.unpackbits(hash_)
    unpacked[bits] ^= 1
    return np.packbits(unpacked)


def _distance(a: np.ndarray, b: np.ndarray) -> int:
    return int(np.unpackbits(np.bitwise_xor(a, b)).sum())


def _fp(hashes: np.ndarray) -> ImageFingerprint:
    return ImageFingerprint(IMAGE_SCHEME, hashes.reshape(-1, 32), 100)


def _linear_scan(
    works: dict[str, np.ndarray], query: np.ndarray, t: ImageThresholds
) -> tuple[Match, ...]:
    """The reference: every (work region, query region) pair, in that order, no index."""
    found = []
    for work_id, hashes in works.items():
        for w_region, stored in enumerate(hashes):
            for q_region, q in enumerate(query):
                d = _distance(stored, q)
                whole = w_region == 0 and q_region < QUERY_ORIENTATIONS
                if d <= (t.near_distance if whole else t.region_distance):
                    kind = MatchKind.NEAR if whole else MatchKind.EXCERPT
                    evidence = {
                        "scheme": IMAGE_SCHEME,
                        "distance": d,
                        "work_region": w_region,
                        "item_region": q_region,
                    }
                    found.append(Match(work_id, kind, 1.0 - d / 256, evidence))
    return strongest_per_work(found)


def test_the_chunks_cover_every_bit_once_and_read_them_big_endian() -> None:
    assert sum(width for _, width in CHUNK_BITS) == 256
    assert REACH == sum(r + 1 for r in CHUNK_RADIUS) - 1 == 31
    rng = np.random.default_rng(1)
    hashes = rng.integers(0, 256, (50, 32), dtype=np.uint8)
    bits = np.unpackbits(hashes, axis=1)
    for c, (first, width) in enumerate(CHUNK_BITS):
        expected = bits[:, first : first + width].astype(np.uint64) @ (
            np.uint64(1) << np.arange(width - 1, -1, -1, dtype=np.uint64)
        )
        assert np.array_equal(chunk_keys(hashes)[:, c], expected.astype(np.uint32))


def test_tables_are_sized_to_the_index_and_group_every_row_by_address() -> None:
    assert address_bits(0) == (4,) * CHUNKS
    assert address_bits(300) == (9,) * CHUNKS
    assert address_bits(19_000_000) == tuple(w for _, w in CHUNK_BITS)
    rng = np.random.default_rng(2)
    hashes = rng.integers(0, 256, (1000, 32), dtype=np.uint8)
    tables = HashTables.build(hashes)
    keys = chunk_keys(hashes)
    base = 0
    for c, ((_, width), b) in enumerate(zip(CHUNK_BITS, tables.bits, strict=True)):
        offsets = tables.offsets[base : base + (1 << b) + 1]
        assert offsets[0] == 0 and offsets[-1] == 1000 and np.all(np.diff(offsets.astype(int)) >= 0)
        address = keys[tables.postings[c], c] >> (width - b)
        assert np.array_equal(np.repeat(np.arange(1 << b), np.diff(offsets.astype(int))), address)
        assert sorted(tables.postings[c].tolist()) == list(range(1000))
        base += (1 << b) + 1


def _spread(rng: np.random.Generator, d: int, survivor: int | None = None) -> list[int]:
    """``d`` bit positions of the index's worst case: every chunk one past its radius but one.

    At the reach (31) the ``survivor`` chunk (random if not given) is left at
    its radius and every other is one bit beyond; fewer bits are a random
    part of that. The flipped bits are each chunk's top bits, its address
    bits whatever the tables' size.
    """
    keep = int(rng.integers(CHUNKS)) if survivor is None else survivor
    dealt = [c for c in range(CHUNKS) for _ in range(CHUNK_RADIUS[c] + (c != keep))]
    dealt = [dealt[i] for i in rng.permutation(len(dealt))[:d]]
    return [CHUNK_BITS[c][0] + dealt[:i].count(c) for i, c in enumerate(dealt)]


def test_the_worst_case_at_the_reach_is_found_through_every_chunk() -> None:
    rng = np.random.default_rng(4)
    stored = rng.integers(0, 256, (500, 32), dtype=np.uint8)
    tables = HashTables.build(stored)
    for survivor in range(CHUNKS):
        query = _flip(stored[7], _spread(rng, REACH, survivor))
        assert _distance(query, stored[7]) == REACH
        rows, _ = tables.candidates(query.reshape(1, 32))
        assert 7 in rows.tolist(), survivor


def _planted(
    seed: int, works: int, planted: list[int], spread: bool = False
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Random works and a query of one hash per distance in ``planted`` from random stored ones."""
    rng = np.random.default_rng(seed)
    stored = rng.integers(0, 256, (works, PER_WORK, 32), dtype=np.uint8)
    query = []
    for d in planted:
        bits = _spread(rng, d) if spread else rng.choice(256, d, replace=False).tolist()
        query.append(_flip(stored[rng.integers(works), rng.integers(PER_WORK)], bits))
    query.append(rng.integers(0, 256, 32, dtype=np.uint8))  # an unrelated region
    return {f"w{i}": stored[i] for i in range(works)}, np.stack(query)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    works=st.integers(1, 400),
    planted=st.lists(st.integers(0, REACH), min_size=1, max_size=10),
    layout=st.sampled_from(["delta", "compacted", "half", "saved"]),
    near=st.integers(0, REACH),
    region=st.integers(0, REACH),
    spread=st.booleans(),
)
def test_the_index_answers_as_a_linear_scan_does(
    tmp_path_factory: pytest.TempPathFactory,
    seed: int,
    works: int,
    planted: list[int],
    layout: str,
    near: int,
    region: int,
    spread: bool,
) -> None:
    data, query = _planted(seed, works, planted, spread)
    t = ImageThresholds(near_distance=near, region_distance=region)
    index = ImageIndex(t)
    for n, (work_id, hashes) in enumerate(data.items()):
        index.add(work_id, _fp(hashes))
        if layout == "half" and n == works // 2:
            index.compact()  # the rest stays in the delta
    if layout == "compacted":
        index.compact()
    if layout == "saved":
        folder = tmp_path_factory.mktemp("img") / "index"
        save_image_index(index, folder)
        index = load_image_index(folder, t)
    assert index.query(_fp(query)).matches == _linear_scan(data, query, t)


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), compact_between=st.booleans())
def test_removed_and_replaced_works_answer_as_if_never_added(
    seed: int, compact_between: bool
) -> None:
    data, query = _planted(seed, 60, [0, 5, 12, 20, 31, 32], spread=True)
    rng = np.random.default_rng(seed)
    t = ImageThresholds(near_distance=REACH, region_distance=REACH)
    index = ImageIndex(t)
    for work_id, hashes in data.items():
        index.add(work_id, _fp(hashes))
    if compact_between:
        index.compact()
    gone = {f"w{i}" for i in rng.choice(60, 20, replace=False).tolist()}
    for work_id in sorted(gone):
        assert index.remove(work_id)
    replaced = f"w{int(rng.integers(60))}"
    data[replaced] = rng.integers(0, 256, (PER_WORK, 32), dtype=np.uint8)
    index.add(replaced, _fp(data[replaced]))
    kept = {w: h for w, h in data.items() if w not in gone or w == replaced}
    assert len(index) == len(kept)
    assert index.query(_fp(query)).matches == _linear_scan(kept, query, t)
    index.compact()  # drops the removed works' rows and renumbers
    assert len(index.ids) == len(kept) == index.tables.rows // PER_WORK
    assert index.query(_fp(query)).matches == _linear_scan(kept, query, t)


def test_an_empty_index_and_low_information_queries() -> None:
    index = ImageIndex()
    hashes = np.zeros((2, 32), np.uint8)
    assert index.query(_fp(hashes)).matches == ()
    index.compact()
    assert index.query(_fp(hashes)).matches == ()
    flat = index.query(ImageFingerprint(IMAGE_SCHEME, hashes, 0))
    assert flat.refused == "low_information: PDQ quality 0"


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidInput, match="beyond the index's reach"):
        ImageThresholds(near_distance=REACH + 1)
    index = ImageIndex()
    with pytest.raises(InvalidInput, match="uint8"):
        index.add("w", ImageFingerprint(IMAGE_SCHEME, np.zeros((2, 16), np.uint8), 100))
    with pytest.raises(InvalidInput, match="scheme"):
        index.add("w", ImageFingerprint("other", np.zeros((2, 32), np.uint8), 100))
    with pytest.raises(InvalidInput, match=f"within {REACH} bits"):
        index.within(np.zeros((1, 32), np.uint8), REACH + 1)


def test_old_and_damaged_indexes_must_be_rebuilt(tmp_path: Path) -> None:
    index = ImageIndex()
    index.add("w", _fp(np.ones((3, 32), np.uint8)))
    folder = tmp_path / "image"
    save_image_index(index, folder)
    assert load_image_index(folder).ids == ["w"]
    manifest = (folder / "manifest.json").read_text()
    (folder / "manifest.json").write_text(manifest.replace('"version": 4', '"version": 3'))
    with pytest.raises(InvalidInput, match="rebuild"):
        load_image_index(folder)
    (folder / "manifest.json").write_text(manifest)
    with pytest.raises(InvalidInput, match="quality floors"):  # built under other floors
        load_image_index(folder, ImageThresholds(region_quality=50))
    (folder / "manifest.json").write_text(manifest.replace("[20, 1]", "[20, 2]"))
    with pytest.raises(InvalidInput, match="rebuild"):
        load_image_index(folder)
    (folder / "manifest.json").write_text(manifest.replace('"rows": 3', '"rows": 4'))
    with pytest.raises(InvalidInput, match="inconsistent"):
        load_image_index(folder)
    (folder / "manifest.json").write_text(manifest)
    (folder / "postings.npy").write_bytes(b"garbage")
    with pytest.raises(InvalidInput, match="unreadable"):
        load_image_index(folder)
