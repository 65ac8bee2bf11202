"""The fast longest chain equals the plain patience-sorting reference on any input."""

from __future__ import annotations

import bisect
import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.matching.text_align import I64, longest_chain, patience


def reference_chain(item_idx: I64, work_pos: I64) -> I64:
    """The original implementation: one patience loop over every pair."""
    if item_idx.size == 0:
        return np.zeros(0, np.int64)
    order = np.lexsort((-work_pos, item_idx))
    tails: list[int] = []
    tail_at: list[int] = []
    back = np.full(order.size, -1, dtype=np.int64)
    for k, w in enumerate(work_pos[order].tolist()):
        length = bisect.bisect_left(tails, w)
        if length == len(tails):
            tails.append(w)
            tail_at.append(k)
        else:
            tails[length] = w
            tail_at[length] = k
        back[k] = tail_at[length - 1] if length else -1
    chain: list[int] = []
    k = tail_at[-1]
    while k >= 0:
        chain.append(k)
        k = int(back[k])
    chain.reverse()
    return order[np.asarray(chain, dtype=np.int64)]


pairs = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 80)), max_size=120)


@st.composite
def diagonal_with_strays(draw: st.DrawFn) -> list[tuple[int, int]]:
    """A copied passage (pairs on a diagonal) with stray pairs mixed in, like real matches."""
    n = draw(st.integers(0, 150))
    offset = draw(st.integers(-50, 50))
    out = [(i, 3 * i + offset) for i in range(n) if draw(st.booleans()) or i % 3]
    return out + draw(pairs)


@settings(max_examples=400)
@given(st.one_of(pairs, diagonal_with_strays()))
def test_longest_chain_equals_the_reference(raw: list[tuple[int, int]]) -> None:
    item = np.array([p[0] for p in raw], dtype=np.int64)
    work = np.array([p[1] for p in raw], dtype=np.int64)
    assert longest_chain(item, work).tolist() == reference_chain(item, work).tolist()


@given(pairs)
def test_chain_increases_strictly_in_both_positions(raw: list[tuple[int, int]]) -> None:
    item = np.array([p[0] for p in raw], dtype=np.int64)
    work = np.array([p[1] for p in raw], dtype=np.int64)
    chain = longest_chain(item, work)
    assert np.all(np.diff(item[chain]) > 0)
    assert np.all(np.diff(work[chain]) > 0)


@given(st.lists(st.integers(-20, 20), max_size=60))
def test_patience_finds_a_longest_increasing_subsequence(values: list[int]) -> None:
    picked = patience(values)
    assert all(values[a] < values[b] for a, b in itertools.pairwise(picked))
    best = [1] * len(values)  # O(n^2) dynamic programme for the length
    for j in range(len(values)):
        for i in range(j):
            if values[i] < values[j]:
                best[j] = max(best[j], best[i] + 1)
    assert len(picked) == max(best, default=0)
