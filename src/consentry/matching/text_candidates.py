"""The works a query shares enough shingles with, each with its aligned chain.

For each candidate work: the item shingle indices and work offsets of the
longest chain of shared shingles increasing in both texts (``text_align``),
in chain order. Two implementations give the same candidates and chains:
the numpy reference (:func:`reference_chains`, some sixty numpy calls a
query) and the compiled kernel (:func:`kernel_chains`: the postings lookup
and the filter-and-align of all candidates in two calls), used when it is
built. A query of a few hundred words is dominated by per-call overhead, so
the kernel's gain is largest there.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import numpy.typing as npt

from consentry.fingerprint import kernel
from consentry.fingerprint.text import U64
from consentry.matching.text_align import longest_chain
from consentry.matching.text_postings import I64, Postings, expand

if kernel.BUILT:
    from consentry.fingerprint import _alignkernel

Chain = tuple[int, I64, I64]  # work number, chain's item shingle indices, chain's work offsets


def candidate_chains(
    postings: Postings, alive: npt.NDArray[np.bool_], hashes: U64, cap: int, min_shared: int
) -> Iterator[Chain]:
    """Candidate works (ascending work number) and their chains; see the module docstring."""
    if kernel.ACTIVE:
        return kernel_chains(postings, alive, hashes, cap, min_shared)
    return reference_chains(postings, alive, hashes, cap, min_shared)


def reference_chains(
    postings: Postings, alive: npt.NDArray[np.bool_], hashes: U64, cap: int, min_shared: int
) -> Iterator[Chain]:
    """The numpy implementation, kept as the reference the kernel is tested against."""
    item_i, work_n, work_pos = expand(postings, hashes, cap)
    keep = alive[work_n] if work_n.size else np.zeros(0, bool)
    item_i, work_n, work_pos = item_i[keep], work_n[keep], work_pos[keep]
    by_work = np.argsort(work_n, kind="stable")
    sorted_n = work_n[by_work]
    found = dense(item_i, work_n, 2 * min_shared, min_shared * 3 // 4)
    lo = np.searchsorted(sorted_n, found, side="left").tolist()
    hi = np.searchsorted(sorted_n, found, side="right").tolist()
    for n, a, b in zip(found.tolist(), lo, hi, strict=True):
        sel = by_work[a:b]
        chain = sel[longest_chain(item_i[sel], work_pos[sel])]
        yield n, item_i[chain], work_pos[chain]


def kernel_chains(
    postings: Postings, alive: npt.NDArray[np.bool_], hashes: U64, cap: int, min_shared: int
) -> Iterator[Chain]:
    """The compiled implementation (needs the kernel built)."""
    query = np.ascontiguousarray(hashes, np.uint64)
    try:
        packed = _alignkernel.pairs(query, postings.directories(), alive.view(np.uint8), cap)
    except OverflowError:  # spreads too wide for one 64-bit key (not seen in practice)
        yield from reference_chains(postings, alive, hashes, cap, min_shared)
        return
    if packed is None:
        return
    keys, item_bits, pos_bits, work_low, item_low, pos_top = packed
    keys.sort()
    works, bounds, items, offsets = _alignkernel.chains(
        keys, item_bits, pos_bits, pos_top, 2 * min_shared, min_shared * 3 // 4
    )
    edges = bounds.tolist()
    for k, n in enumerate(works.tolist()):
        a, b = edges[k], edges[k + 1]
        yield n + work_low, items[a:b] + item_low, offsets[a:b]


def dense(item_i: I64, work_n: I64, window: int, need: int) -> I64:
    """Works with at least ``need`` shared shingles among ``window`` consecutive item shingles.

    Every passage that can qualify (density >= 1/2 over >= ``window`` shingles,
    or a near copy) has such a window, so aligning only these works loses
    nothing; stray shared phrases between unrelated texts rarely cluster so.
    Vectorised over all works at once: keys are work * 2**32 + item index.
    """
    keys = np.unique((work_n << 32) | item_i)
    ahead = np.searchsorted(keys, keys + window, side="left") - np.arange(keys.size)
    found: I64 = np.unique(keys[ahead >= need] >> 32)
    return found
