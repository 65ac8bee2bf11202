"""Alignment of the shingles an item shares with one work: which passages, where.

A shared shingle is a pair (position in the item, position in the work). A
copied passage shows as a run of pairs that advance together in both texts;
a shingle that two unrelated texts happen to share ("and the lord said")
shows as a stray pair off that run. The longest chain of pairs increasing in
both positions (a longest increasing subsequence, O(n log n)) keeps the copy
and drops the strays; cutting the chain where either side jumps by more than
``gap`` characters splits it into passages, each judged on its own.

The patience loop runs compiled (``_alignkernel.patience``) when the text
kernel is built; :func:`patience` below is the reference it is held to.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.fingerprint import kernel

if kernel.BUILT:
    from consentry.fingerprint import _alignkernel

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Passage:
    """One aligned run: item shingle indices ``first..last`` (inclusive), shared count."""

    first: int
    last: int
    shared: int
    work_first: int
    work_last: int

    @property
    def span(self) -> int:
        """How many of the item's sampled shingles the passage covers."""
        return self.last - self.first + 1

    @property
    def density(self) -> float:
        """Share of the covered item shingles that were found in the work."""
        return self.shared / self.span


def longest_chain(item_idx: I64, work_pos: I64) -> I64:
    """Indices of the longest chain of pairs strictly increasing in both positions.

    Pairs are visited by item index, and for one item index by descending work
    position, so that a chain takes at most one pair per item shingle.
    """
    if item_idx.size == 0:
        return np.zeros(0, np.int64)
    order = np.lexsort((-work_pos, item_idx))
    values = np.ascontiguousarray(work_pos[order], dtype=np.int64)
    if kernel.ACTIVE:
        chain = np.empty(values.size, np.int64)
        length = _alignkernel.patience(values, chain)
        return order[chain[:length]]
    return order[np.asarray(patience(values.tolist()), dtype=np.int64)]


def patience(values: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence (patience sorting, O(n log n)).

    Ties between equally long subsequences go to the one whose elements were
    last to become a pile's top, as in the reference implementation the tests keep.
    """
    tails: list[int] = []  # smallest value ending a subsequence of each length
    tail_at: list[int] = []  # which element ends it
    back = [-1] * len(values)
    for k, w in enumerate(values):
        length = bisect.bisect_left(tails, w)
        if length == len(tails):
            tails.append(w)
            tail_at.append(k)
        else:
            tails[length] = w
            tail_at[length] = k
        back[k] = tail_at[length - 1] if length else -1
    chain: list[int] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return chain


def passages(
    item_idx: I64, item_start: I64, work_pos: I64, gap: int, *, min_shared: int = 1
) -> list[Passage]:
    """Split an aligned chain into passages wherever either side jumps by > ``gap`` chars.

    ``item_idx`` (the item shingle index), ``item_start`` (its character offset)
    and ``work_pos`` are the chain's pairs, in chain order. Only passages of
    at least ``min_shared`` pairs are returned (the others cost a Python
    object each and could never qualify as an excerpt).
    """
    if item_idx.size == 0:
        return []
    jumps = (np.diff(item_start) > gap) | (np.diff(work_pos) > gap)
    cuts = np.flatnonzero(jumps) + 1
    bounds = [0, *cuts.tolist(), int(item_idx.size)]
    return [
        Passage(
            first=int(item_idx[a]),
            last=int(item_idx[b - 1]),
            shared=b - a,
            work_first=int(work_pos[a]),
            work_last=int(work_pos[b - 1]),
        )
        for a, b in itertools.pairwise(bounds)
        if b - a >= min_shared
    ]
