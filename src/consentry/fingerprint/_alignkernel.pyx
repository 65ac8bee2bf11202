# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled hot loops of text matching; the numpy code in ``text_align.py`` and
``text_candidates.py`` is the reference, and the tests check that both agree exactly.

* :func:`patience`: the longest strictly increasing subsequence of alignment.
* :func:`directory`, :func:`pairs`, :func:`chains`: an item's postings lookup,
  and the candidate filter and alignment of every work it shares shingles
  with, in two calls a query (the numpy reference makes some sixty).
"""

import numpy as np

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.stdint cimport INT64_MAX, int64_t, uint8_t, uint32_t, uint64_t


cdef class _Work:
    """Scratch arrays of patience sorting, freed with the object."""

    cdef int64_t* tails
    cdef Py_ssize_t* tail_at
    cdef Py_ssize_t* back

    def __cinit__(self, Py_ssize_t n):
        n = max(n, 1)
        self.tails = <int64_t*>PyMem_Malloc(n * sizeof(int64_t))
        self.tail_at = <Py_ssize_t*>PyMem_Malloc(n * sizeof(Py_ssize_t))
        self.back = <Py_ssize_t*>PyMem_Malloc(n * sizeof(Py_ssize_t))
        if self.tails == NULL or self.tail_at == NULL or self.back == NULL:
            raise MemoryError()

    def __dealloc__(self):
        PyMem_Free(self.tails)
        PyMem_Free(self.tail_at)
        PyMem_Free(self.back)


cdef Py_ssize_t _lis(
    const int64_t* values,
    Py_ssize_t n,
    int64_t* chain,
    int64_t* tails,
    Py_ssize_t* tail_at,
    Py_ssize_t* back,
) noexcept nogil:
    """Patience sorting: a longest strictly increasing subsequence's indices into ``chain``."""
    cdef Py_ssize_t piles = 0, lo, hi, mid, k, length
    cdef int64_t w
    if n == 0:
        return 0
    for k in range(n):
        w = values[k]
        lo = 0
        hi = piles
        while lo < hi:
            mid = (lo + hi) >> 1
            if tails[mid] < w:
                lo = mid + 1
            else:
                hi = mid
        tails[lo] = w
        tail_at[lo] = k
        if lo == piles:
            piles += 1
        back[k] = tail_at[lo - 1] if lo > 0 else -1
    length = piles
    k = tail_at[piles - 1]
    while k >= 0:
        length -= 1
        chain[length] = k
        k = back[k]
    return piles


def patience(const int64_t[::1] values, int64_t[::1] chain):
    """Write a longest strictly increasing subsequence's indices to ``chain``; return its length.

    Ties go as in ``text_align.patience`` (the reference): bisect-left over the
    piles' tops, back pointers to the previous pile's current top.
    """
    cdef Py_ssize_t n = values.shape[0], length
    if chain.shape[0] < n:
        raise ValueError("chain array is too small")
    if n == 0:
        return 0
    cdef _Work work = _Work(n)
    with nogil:
        length = _lis(&values[0], n, &chain[0], work.tails, work.tail_at, work.back)
    return length


cdef inline Py_ssize_t _lower(
    const uint64_t[::1] table, uint64_t h, Py_ssize_t lo, Py_ssize_t hi
) noexcept nogil:
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if table[mid] < h:
            lo = mid + 1
        else:
            hi = mid
    return lo


cdef inline Py_ssize_t _upper(
    const uint64_t[::1] table, uint64_t h, Py_ssize_t lo, Py_ssize_t hi
) noexcept nogil:
    cdef Py_ssize_t mid
    while lo < hi:
        mid = (lo + hi) >> 1
        if table[mid] <= h:
            lo = mid + 1
        else:
            hi = mid
    return lo


def directory(const uint64_t[::1] table, int bits):
    """Bucket starts of a sorted hash table: the hashes with prefix ``p`` (top ``bits``
    bits) are ``table[d[p]:d[p + 1]]``; one pass over the table."""
    if bits < 1 or bits > 32:
        raise ValueError("bits must be 1..32")
    cdef Py_ssize_t n = table.shape[0], i
    cdef uint64_t size = (<uint64_t>1) << bits, p = 0, prefix
    cdef int shift = 64 - bits
    out = np.empty(size + 1, np.int64)
    cdef int64_t[::1] d = out
    with nogil:
        for i in range(n):
            prefix = table[i] >> shift
            while p <= prefix:
                d[p] = i
                p += 1
        while p <= size:
            d[p] = n
            p += 1
    return out


cdef Py_ssize_t _find(
    const uint64_t[::1] hashes,
    const uint64_t[::1] table,
    const int64_t[::1] directory,
    int shift,
    Py_ssize_t cap,
    int64_t* st,
    int64_t* sp,
) noexcept nogil:
    """Each hash's run ``[st, sp)`` in ``table`` (empty when absent or longer than ``cap``)."""
    cdef Py_ssize_t i, lo, hi, end, total = 0
    cdef uint64_t h, p
    for i in range(hashes.shape[0]):
        h = hashes[i]
        p = h >> shift
        st[i] = 0
        sp[i] = 0
        lo = directory[p]
        end = directory[p + 1]
        if lo == end:
            continue
        lo = _lower(table, h, lo, end)
        if lo == end or table[lo] != h:
            continue
        hi = _upper(table, h, lo, end)
        if hi - lo > cap:
            continue
        st[i] = lo
        sp[i] = hi
        total += hi - lo
    return total


def pairs(const uint64_t[::1] hashes, list tables, const uint8_t[::1] alive, Py_ssize_t cap):
    """Every (work, item index, work offset) sharing a hash, packed for :func:`chains`.

    ``tables`` holds (hashes, works, offsets, directory, shift) per sorted postings
    table (``text_postings``); works not ``alive`` and hashes found in more than
    ``cap`` postings of a table are left out, as ``text_postings.expand`` does.
    Returns (keys, item_bits, pos_bits, work_low, item_low, pos_top), unsorted,
    with ``work - work_low``, ``item - item_low`` and ``pos_top - offset`` in
    the fields; None when nothing is shared; OverflowError when the three spreads
    need more than 63 bits (OverflowError).
    """
    cdef Py_ssize_t n = hashes.shape[0], t, i, r, k = 0, total = 0
    cdef Py_ssize_t count = len(tables)
    cdef uint32_t w
    cdef int64_t wl = INT64_MAX, wh = -1, il = INT64_MAX, ih = -1, pl = INT64_MAX, ph = -1
    cdef const uint64_t[::1] table
    cdef const uint32_t[::1] works
    cdef const uint32_t[::1] pos
    cdef const int64_t[::1] direc
    cdef int shift, wb, ib, pb
    runs = np.zeros((max(count, 1), 2, n), np.int64)
    cdef int64_t[:, :, ::1] run = runs
    for t in range(count):
        table, works, pos, direc, shift = tables[t]
        if works.shape[0] != table.shape[0] or pos.shape[0] != table.shape[0]:
            raise ValueError("postings arrays differ in length")
        if shift < 1 or shift > 63 or direc.shape[0] != ((<Py_ssize_t>1) << (64 - shift)) + 1:
            raise ValueError("directory and shift disagree")
        if n == 0 or table.shape[0] == 0:
            continue
        with nogil:
            _find(hashes, table, direc, shift, cap, &run[t, 0, 0], &run[t, 1, 0])
            for i in range(n):
                for r in range(run[t, 0, i], run[t, 1, i]):
                    w = works[r]
                    if w < <uint64_t>alive.shape[0] and alive[w]:
                        total += 1
                        wl = min(wl, w)
                        wh = max(wh, w)
                        il = min(il, i)
                        ih = max(ih, i)
                        pl = min(pl, pos[r])
                        ph = max(ph, pos[r])
    if total == 0:
        return None
    wb, ib, pb = _bits(wh - wl), _bits(ih - il), _bits(ph - pl)
    if wb + ib + pb > 63:
        raise OverflowError("the pairs do not fit one 64-bit key")
    keys = np.empty(total, np.uint64)
    cdef uint64_t[::1] out = keys
    for t in range(count):
        table, works, pos, direc, shift = tables[t]
        with nogil:
            for i in range(n):
                for r in range(run[t, 0, i], run[t, 1, i]):
                    w = works[r]
                    if w < <uint64_t>alive.shape[0] and alive[w]:
                        out[k] = (
                            (<uint64_t>(w - wl) << (ib + pb))
                            | (<uint64_t>(i - il) << pb)
                            | <uint64_t>(ph - pos[r])
                        )
                        k += 1
    return keys, ib, pb, wl, il, ph


cdef inline int _bits(int64_t v) noexcept nogil:
    cdef int b = 0
    while v > 0:
        b += 1
        v >>= 1
    return b


def chains(
    const uint64_t[::1] keys,
    int item_bits,
    int pos_bits,
    int64_t pos_top,
    int64_t window,
    Py_ssize_t need,
):
    """Align each candidate work, from its shared pairs packed in sorted keys.

    A pair (work, item index, work offset) is the key ``work << (item_bits +
    pos_bits) | item << pos_bits | (pos_top - offset)``, so ascending keys run
    by work, then item, then descending offset. A work is a candidate when
    some ``window`` consecutive item indices hold ``need`` of its distinct
    item indices (``text_candidates.dense``); its chain is the longest run of
    pairs increasing in both offsets (``text_align``). Returns (works, bounds,
    items, offsets): candidate ``k``'s chain is ``items[bounds[k]:bounds[k + 1]]``
    and the matching ``offsets``.
    """
    cdef Py_ssize_t n = keys.shape[0], a = 0, b, d, p, q, length, c = 0, found = 0
    cdef int shift = item_bits + pos_bits
    cdef uint64_t item_mask = ((<uint64_t>1) << item_bits) - 1
    cdef uint64_t pos_mask = ((<uint64_t>1) << pos_bits) - 1
    cdef bint dense
    if item_bits < 0 or pos_bits < 0 or shift > 63:
        raise ValueError("a packed key has 64 bits")
    out_works = np.empty(n, np.int64)
    out_bounds = np.zeros(n + 1, np.int64)
    out_items = np.empty(n, np.int64)
    out_pos = np.empty(n, np.int64)
    cdef int64_t[::1] ow = out_works, ob = out_bounds, oi = out_items, op = out_pos
    cdef _Work scratch = _Work(n)
    cdef int64_t* distinct = <int64_t*>scratch.back  # free until the chain is taken
    cdef int64_t* offsets = <int64_t*>PyMem_Malloc(max(n, 1) * sizeof(int64_t))
    cdef int64_t* link = <int64_t*>PyMem_Malloc(max(n, 1) * sizeof(int64_t))
    if offsets == NULL or link == NULL:
        PyMem_Free(offsets)
        PyMem_Free(link)
        raise MemoryError()
    with nogil:
        while a < n:
            b = a + 1
            while b < n and keys[b] >> shift == keys[a] >> shift:
                b += 1
            d = 0
            for p in range(a, b):
                offsets[p] = pos_top - <int64_t>(keys[p] & pos_mask)
                if d == 0 or <int64_t>((keys[p] >> pos_bits) & item_mask) != distinct[d - 1]:
                    distinct[d] = (keys[p] >> pos_bits) & item_mask
                    d += 1
            dense = False
            q = 0
            for p in range(d):
                while q < d and distinct[q] < distinct[p] + window:
                    q += 1
                if q - p >= need:
                    dense = True
                    break
            if dense:
                length = _lis(&offsets[a], b - a, link, scratch.tails, scratch.tail_at, scratch.back)
                for p in range(length):
                    oi[c + p] = (keys[a + link[p]] >> pos_bits) & item_mask
                    op[c + p] = offsets[a + link[p]]
                c += length
                ow[found] = keys[a] >> shift
                found += 1
                ob[found] = c
            a = b
    PyMem_Free(offsets)
    PyMem_Free(link)
    return out_works[:found], out_bounds[: found + 1], out_items[:c], out_pos[:c]
