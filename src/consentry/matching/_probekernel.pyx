# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled probe loop of the image index; the numpy code in ``image_tables.py`` is the
reference, and the tests check that both give the same arrays bit for bit.

* :func:`candidates`: every probe of every query hash (its chunk addresses XOR
  each flip mask), the two offset reads of each, and the postings they name,
  in the reference's order. The reads of each pass are prefetched a few
  probes ahead, so the cache and TLB misses of ~38,000 random probes into the
  offset tables overlap instead of queueing one after another.
* :func:`distances`: the Hamming distance of each candidate row to its query
  hash: the 32-byte records gathered first (prefetched ahead the same way),
  then their popcounts summed in SWAR lanes (exact up to 256; no
  CPU-specific instructions needed). Gathering first measured faster and
  steadier under load than measuring each record as it arrives.

Every offset and row read is checked against the arrays' bounds (a corrupt
saved index raises ``ValueError`` instead of reading outside its maps).
"""

import numpy as np

from libc.stdint cimport int64_t, uint8_t, uint32_t, uint64_t
from libc.string cimport memcpy


cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define CS_PREFETCH(p) __builtin_prefetch((const void*)(p), 0, 3)
    #else
    #define CS_PREFETCH(p) ((void)0)
    #endif
    static inline uint64_t cs_nibbles(uint64_t x) {
        x = x - ((x >> 1) & 0x5555555555555555ULL);
        return (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    }
    static inline uint64_t cs_bytes(uint64_t x) {
        return (x & 0x0F0F0F0F0F0F0F0FULL) + ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL);
    }
    /* Hamming distance of two 256-bit records: nibble lanes <= 8, byte lanes <= 32,
       16-bit lanes <= 128, their sum <= 256 (exact). */
    static inline int64_t cs_distance(const uint64_t* a, const uint64_t* b) {
        uint64_t s = cs_bytes(cs_nibbles(a[0] ^ b[0]) + cs_nibbles(a[1] ^ b[1]))
                   + cs_bytes(cs_nibbles(a[2] ^ b[2]) + cs_nibbles(a[3] ^ b[3]));
        s = (s & 0x00FF00FF00FF00FFULL) + ((s >> 8) & 0x00FF00FF00FF00FFULL);
        return (int64_t)((s * 0x0001000100010001ULL) >> 48);
    }
    """
    void CS_PREFETCH(const void* p) nogil
    int64_t cs_distance(const uint64_t* a, const uint64_t* b) nogil


cdef enum:
    AHEAD = 32  # how many probes / rows ahead a read is prefetched
    MAX_CHUNKS = 64


cdef inline uint64_t _big_endian(const uint8_t* p) noexcept nogil:
    cdef uint64_t w = 0
    cdef int i
    for i in range(8):
        w = (w << 8) | p[i]
    return w


cdef inline uint64_t _key(const uint64_t* words, int64_t first, int64_t width) noexcept nogil:
    """The ``width`` bits of a hash from bit ``first`` on (big-endian words)."""
    cdef int64_t word = first >> 6, offset = first & 63, spill = offset + width - 64
    cdef uint64_t key
    if spill <= 0:
        key = words[word] >> (64 - offset - width)
    else:
        key = (words[word] << spill) | (words[word + 1] >> (64 - spill))
    return key & ((<uint64_t>1 << width) - 1)


def _probes(
    const uint8_t[:, ::1] q_hashes,
    const int64_t[::1] first,
    const int64_t[::1] width,
    const int64_t[::1] shift,
    const int64_t[::1] table,
    const uint32_t[::1] flips,
    const int64_t[::1] flip_start,
):
    """Every probe's index into ``offsets``: per query hash, per chunk, per flip mask."""
    cdef Py_ssize_t q = q_hashes.shape[0], chunks = first.shape[0]
    cdef Py_ssize_t per = flip_start[chunks], j, c, f, k = 0
    cdef uint64_t words[4]
    cdef uint64_t address
    probe_arr = np.empty(q * per, np.int64)
    cdef int64_t[::1] probe = probe_arr
    for j in range(q):
        for c in range(4):
            words[c] = _big_endian(&q_hashes[j, 8 * c])
        for c in range(chunks):
            address = _key(words, first[c], width[c]) >> shift[c]
            for f in range(flip_start[c], flip_start[c + 1]):
                probe[k] = table[c] + <int64_t>(address ^ flips[f])
                k += 1
    return probe_arr


def candidates(
    const uint8_t[:, ::1] q_hashes,
    const uint32_t[::1] offsets,
    const uint32_t[:, ::1] postings,
    const int64_t[::1] first,
    const int64_t[::1] width,
    const int64_t[::1] shift,
    const int64_t[::1] table,
    const uint32_t[::1] flips,
    const int64_t[::1] flip_start,
):
    """The stored rows each query hash's probes find, grouped by query hash (see the reference)."""
    cdef Py_ssize_t q = q_hashes.shape[0], chunks = first.shape[0]
    cdef Py_ssize_t rows = postings.shape[1], per = flip_start[chunks]
    cdef Py_ssize_t n = q * per, i, j, c, f, total = 0, at = 0
    cdef int64_t p, s, e, size = offsets.shape[0]
    if chunks > MAX_CHUNKS or postings.shape[0] != chunks:
        raise ValueError("the probe pattern does not fit the tables")
    for c in range(chunks):
        if table[c] < 0 or table[c] + (1 << (width[c] - shift[c])) >= size:
            raise ValueError("the offset tables are smaller than the chunk addresses")
    probe_arr = _probes(q_hashes, first, width, shift, table, flips, flip_start)
    cdef const int64_t[::1] probe = probe_arr
    start_arr = np.empty(n, np.int64)
    length_arr = np.empty(n, np.int64)
    per_query_arr = np.zeros(q, np.int64)
    cdef int64_t[::1] start = start_arr, length = length_arr, per_query = per_query_arr
    with nogil:
        i = 0
        for j in range(q):
            for c in range(chunks):
                for f in range(flip_start[c], flip_start[c + 1]):
                    if i + AHEAD < n:
                        CS_PREFETCH(&offsets[probe[i + AHEAD]])
                    p = probe[i]
                    s = offsets[p]
                    e = offsets[p + 1]
                    if s > e or e > rows:
                        with gil:
                            raise ValueError("the image index's offset tables are corrupt")
                    start[i] = s + c * rows
                    length[i] = e - s
                    per_query[j] += e - s
                    i += 1
            total += per_query[j]
    rows_arr = np.empty(total, np.uint32)
    cdef uint32_t[::1] found = rows_arr
    cdef const uint32_t* flat = &postings[0, 0] if rows > 0 else NULL
    with nogil:
        for i in range(n):
            if i + AHEAD < n:
                CS_PREFETCH(flat + start[i + AHEAD])
            if length[i]:
                memcpy(&found[at], flat + start[i], length[i] * sizeof(uint32_t))
                at += length[i]
    return rows_arr, per_query_arr


def distances(
    const uint64_t[:, ::1] stored,
    const uint32_t[::1] rows,
    const uint64_t[:, ::1] q_words,
    const int64_t[::1] per_query,
):
    """Hamming distance of each ``stored[rows[k]]`` to its query hash (rows grouped by query).

    Two passes: the records are gathered into a scratch buffer (each prefetched
    ahead; a tight copy loop keeps many misses in flight), then measured.
    """
    cdef Py_ssize_t n = rows.shape[0], count = stored.shape[0], j, k = 0, end
    if stored.shape[1] != 4 or q_words.shape[1] != 4 or per_query.shape[0] != q_words.shape[0]:
        raise ValueError("distances take 256-bit records and one count per query hash")
    for j in range(per_query.shape[0]):
        if per_query[j] < 0:
            raise ValueError("per_query does not add up to the rows given")
        k += per_query[j]
    if k != n:
        raise ValueError("per_query does not add up to the rows given")
    out_arr = np.empty(n, np.int64)
    records_arr = np.empty((n, 4), np.uint64)
    cdef int64_t[::1] out = out_arr
    cdef uint64_t[:, ::1] records = records_arr
    cdef const uint64_t* base = &stored[0, 0] if count > 0 else NULL
    cdef uint32_t r
    with nogil:
        for k in range(n):
            if k + AHEAD < n and rows[k + AHEAD] < count:
                CS_PREFETCH(base + 4 * <Py_ssize_t>rows[k + AHEAD])
            r = rows[k]
            if r >= count:
                with gil:
                    raise IndexError(f"row {r} is not among {count} stored hashes")
            memcpy(&records[k, 0], base + 4 * <Py_ssize_t>r, 4 * sizeof(uint64_t))
        k = 0
        for j in range(per_query.shape[0]):
            end = k + per_query[j]
            while k < end:
                out[k] = cs_distance(&records[k, 0], &q_words[j, 0])
                k += 1
    return out_arr
