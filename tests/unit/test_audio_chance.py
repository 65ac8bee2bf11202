"""Agreement beyond chance: steady sounds' near-constant bits are not evidence.

Synthetic Chromaprint codes: a "steady" sound holds 24 of its 32 bits and
varies 8 (crickets, a held drone); two such sounds that hold the same bits
agree on 7/8 of their bits by chance alone. Random codes stand in for music.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.fingerprint.audio import FRAME_SECONDS, AudioFingerprint
from consentry.matching.audio_index import (
    AudioIndex,
    AudioThresholds,
    agreement_beyond_chance,
    bit_similarity,
)

HELD = np.uint32(0x5A3C_96E1)
VARYING = np.uint32(0x0F00_00F0)  # the 8 bits a steady sound lets vary


def steady(seed: int, n: int) -> np.ndarray:
    """``n`` frames holding :data:`HELD` except for random :data:`VARYING` bits."""
    noise = np.random.default_rng(seed).integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)
    return (HELD & ~VARYING) | (noise & VARYING)


def music(seed: int, n: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 2**32, n, dtype=np.uint64).astype(np.uint32)


def flip(c: np.ndarray, p: float, seed: int = 99) -> np.ndarray:
    bits = np.random.default_rng(seed).random((len(c), 32)) < p
    return c ^ np.packbits(bits, axis=1, bitorder="little").view(np.uint32).ravel()


def fp(c: np.ndarray) -> AudioFingerprint:
    return AudioFingerprint(codes=c, duration=len(c) * FRAME_SECONDS + 1.0)


def test_held_bits_agree_by_chance_only() -> None:
    a, b = steady(1, 600), steady(2, 600)
    assert bit_similarity(a, b) == pytest.approx(0.875, abs=0.01)
    assert abs(agreement_beyond_chance(a, b)) < 0.05


def test_real_agreement_is_beyond_chance() -> None:
    a = music(3, 600)
    assert agreement_beyond_chance(a, flip(a, 0.04)) == pytest.approx(0.92, abs=0.02)
    assert agreement_beyond_chance(a, music(4, 600)) == pytest.approx(0.0, abs=0.02)
    s = steady(5, 600)
    assert agreement_beyond_chance(s, flip(s, 0.02)) > 0.7


def test_index_refuses_steady_sounds_that_agree_by_chance() -> None:
    """The old rule (similarity alone) matches two different steady sounds; this one does not."""
    item = fp(steady(7, 600))
    old, new = AudioIndex(AudioThresholds(beyond_chance=-1.0)), AudioIndex()
    for idx in (old, new):
        idx.add("drone", fp(steady(6, 600)))
        idx.add("song", fp(music(8, 600)))
        idx.compact()
    assert [m.work_id for m in old.query(item).matches] == ["drone"]
    assert new.query(item).matches == ()
    (m,) = new.query(fp(flip(steady(6, 600), 0.02))).matches
    assert m.work_id == "drone" and float(str(m.evidence["beyond_chance"])) > 0.7
    (m,) = new.query(fp(flip(music(8, 600), 0.04))).matches
    assert m.work_id == "song" and float(str(m.evidence["beyond_chance"])) > 0.85


def test_balanced_bits_give_twice_similarity_minus_one() -> None:
    a = music(9, 4000)
    b = flip(a, 0.3)
    assert agreement_beyond_chance(a, b) == pytest.approx(2 * bit_similarity(a, b) - 1, abs=0.01)


def test_no_varying_bit_is_no_evidence() -> None:
    a = np.full(50, 7, np.uint32)
    assert agreement_beyond_chance(a, a) == 0.0
    assert agreement_beyond_chance(a[:0], a[:0]) == 0.0


runs = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(a=runs, b=runs, mask=st.integers(0, 2**32 - 1), seed=st.integers(0, 1000))
def test_kappa_is_symmetric_bounded_and_blind_to_bit_labels(
    a: list[int], b: list[int], mask: int, seed: int
) -> None:
    """Symmetric, at most 1, unchanged by flipping one bit in both runs or by reordering frames."""
    n = min(len(a), len(b))
    x, y = np.array(a[:n], np.uint32), np.array(b[:n], np.uint32)
    k = agreement_beyond_chance(x, y)
    assert k <= 1.0 + 1e-9
    assert agreement_beyond_chance(y, x) == pytest.approx(k)
    m = np.uint32(mask)
    assert agreement_beyond_chance(x ^ m, y ^ m) == pytest.approx(k)
    order = np.random.default_rng(seed).permutation(n)
    assert agreement_beyond_chance(x[order], y[order]) == pytest.approx(k)
    varies = bool(np.any(x != x[0]))
    assert agreement_beyond_chance(x, x) == (1.0 if varies else 0.0)
