"""The audio index on synthetic Chromaprint codes (no fpcalc needed).

Random 32-bit codes stand in for music (Chromaprint codes of music are nearly
all distinct); bit flips stand in for re-encoding and noise.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.fingerprint.audio import FRAME_SECONDS, AudioFingerprint
from consentry.matching.audio_index import AudioIndex, bit_similarity
from consentry.matching.audio_store import load_audio_index, save_audio_index
from consentry.matching.types import MatchKind


def codes(seed: int, n: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)


def fp(c: np.ndarray) -> AudioFingerprint:
    return AudioFingerprint(codes=c, duration=len(c) * FRAME_SECONDS + 1.0)


def flip(c: np.ndarray, p: float, seed: int = 99) -> np.ndarray:
    bits = np.random.default_rng(seed).random((len(c), 32)) < p
    mask = np.packbits(bits, axis=1, bitorder="little").view(np.uint32).ravel()
    return c ^ mask


@pytest.fixture(scope="module")
def index() -> AudioIndex:
    idx = AudioIndex()
    for n in range(20):
        idx.add(f"w{n}", fp(codes(n, 1500)))
    idx.compact()
    return idx


def test_bit_similarity_counts_equal_bits() -> None:
    a = np.array([0, 0xFFFFFFFF], np.uint32)
    assert bit_similarity(a, a) == 1.0
    assert bit_similarity(a, np.array([1, 0xFFFFFFFF], np.uint32)) == pytest.approx(63 / 64)
    assert bit_similarity(a, ~a) == 0.0


def test_same_codes_are_exact(index: AudioIndex) -> None:
    (m,) = index.query(fp(codes(3, 1500))).matches
    assert (m.work_id, m.kind, m.score) == ("w3", MatchKind.EXACT, 1.0)


def test_flipped_bits_are_near(index: AudioIndex) -> None:
    (m,) = index.query(fp(flip(codes(4, 1500), 0.04))).matches
    assert (m.work_id, m.kind) == ("w4", MatchKind.NEAR)
    assert 0.9 < m.score < 0.98


def test_excerpt_gives_offset_and_duration(index: AudioIndex) -> None:
    item = flip(codes(5, 1500)[400:520], 0.03)
    (m,) = index.query(fp(item)).matches
    assert (m.work_id, m.kind) == ("w5", MatchKind.EXCERPT)
    assert m.evidence["work_offset_s"] == pytest.approx(400 * FRAME_SECONDS, abs=0.01)
    assert m.evidence["duration_s"] == pytest.approx(120 * FRAME_SECONDS, abs=0.01)


def test_work_inside_longer_item(index: AudioIndex) -> None:
    work = codes(6, 1500)
    item = np.concatenate([codes(1000, 300), flip(work, 0.02), codes(1001, 300)])
    (m,) = index.query(fp(item)).matches
    assert (m.work_id, m.kind) == ("w6", MatchKind.EXCERPT)
    assert m.evidence["item_offset_s"] == pytest.approx(300 * FRAME_SECONDS, abs=0.01)


def test_unrelated_and_too_short_excerpts_do_not_match(index: AudioIndex) -> None:
    assert index.query(fp(codes(500, 1500))).matches == ()
    assert index.query(fp(codes(7, 1500)[100:150])).matches == ()


def test_low_information_is_refused(index: AudioIndex) -> None:
    silence = index.query(fp(np.zeros(500, np.uint32)))
    assert silence.refused is not None and silence.refused.startswith("low_information")
    short = index.query(AudioFingerprint(codes=codes(8, 10), duration=1.5))
    assert short.refused is not None and short.refused.startswith("too_short")
    with pytest.raises(InvalidInput):
        index.add("silence", fp(np.full(500, 7, np.uint32)))


def test_add_remove_compact_and_delta() -> None:
    idx = AudioIndex()
    idx.add("a", fp(codes(1, 400)))
    idx.compact()
    idx.add("b", fp(codes(2, 400)))
    assert [m.work_id for m in idx.query(fp(codes(2, 400))).matches] == ["b"]
    idx.remove("a")
    assert idx.query(fp(codes(1, 400))).matches == ()
    idx.compact()
    assert len(idx) == 1 and "b" in idx and "a" not in idx
    with pytest.raises(InvalidInput):
        idx.add("b", fp(codes(3, 400)))
    with pytest.raises(InvalidInput):
        idx.remove("a")


def test_save_load_roundtrip(tmp_path: Path, index: AudioIndex) -> None:
    loaded = load_audio_index(save_audio_index(index, tmp_path / "audio"))
    (m,) = loaded.query(fp(flip(codes(9, 1500), 0.03))).matches
    assert m.work_id == "w9"
    loaded.add("new", fp(codes(77, 400)))
    assert [m.work_id for m in loaded.query(fp(codes(77, 400))).matches] == ["new"]


def test_load_refuses_other_folders(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        load_audio_index(tmp_path)


@settings(max_examples=25, deadline=None)
@given(start=st.integers(0, 1300), length=st.integers(90, 200), seed=st.integers(0, 19))
def test_any_excerpt_is_found_at_its_offset(
    index: AudioIndex, start: int, length: int, seed: int
) -> None:
    item = flip(codes(seed, 1500)[start : start + length], 0.03, seed=start)
    found = {m.work_id: m for m in index.query(fp(item)).matches}
    assert set(found) == {f"w{seed}"}
    assert found[f"w{seed}"].evidence["work_offset_s"] == pytest.approx(
        start * FRAME_SECONDS, abs=0.01
    )
