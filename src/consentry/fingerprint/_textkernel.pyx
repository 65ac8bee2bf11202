# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False, nonecheck=False
"""Compiled hot loops of the text path; the numpy code in ``text.py``, ``spaces.py``
is the reference, and the tests check that both agree exactly.

* :func:`shingles`: fold + 9-gram hashes + 1-in-8 sampling + the Murmur3
  finaliser of ``text-shingle-v1`` in one pass over the text (a rolling
  polynomial hash: the same value as Horner's rule over each window).
* :func:`collapse_utf8`: ``" ".join(text.split())`` (ASCII optionally lower-cased),
  written straight to UTF-8 (surrogatepass), ready for the ``text-v1`` hash.
* :func:`text_v1_utf8`: the same for ``text-v1`` whole (NFKC and casefold
  only on the pieces of the text that are not ASCII).

The matching side's loops are in ``_alignkernel.pyx``.
"""

from cpython.bytes cimport PyBytes_FromStringAndSize
from cpython.unicode cimport PyUnicode_Substring
from cpython.mem cimport PyMem_Free, PyMem_Malloc, PyMem_Realloc

from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t


cdef extern from "Python.h":
    int PyUnicode_KIND(object o)
    void* PyUnicode_DATA(object o)
    Py_ssize_t PyUnicode_GET_LENGTH(object o)
    bint PyUnicode_IS_ASCII(object o)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t i) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil


SHINGLE = 9
BASE = 0x9E3779B97F4A7C15
SELECT = 0xD6E8FEB86659FD93
SAMPLE_SHIFT = 61

cdef uint32_t _BMP = 0x10000

cdef uint64_t _BASE = 0x9E3779B97F4A7C15ULL
cdef uint64_t _SELECT = 0xD6E8FEB86659FD93ULL
cdef int _SHIFT = 61

ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef inline uint64_t _mix(uint64_t h) noexcept nogil:
    h ^= h >> 33
    h *= 0xFF51AFD7ED558CCDULL
    h ^= h >> 33
    h *= 0xC4CEB9FE1A85EC53ULL
    h ^= h >> 33
    return h


cdef Py_ssize_t _fold(
    const char_t* s,
    Py_ssize_t n,
    const uint32_t[:, ::1] table,
    const uint8_t[::1] counts,
    uint32_t* codes,
    uint32_t* origin,
) noexcept nogil:
    """Fold ``s`` into ``codes`` (the origin of each in ``origin``); return how many."""
    cdef uint32_t ascii[128]
    cdef Py_ssize_t i, m = 0
    cdef uint32_t cp, c
    cdef int t, cnt
    for t in range(128):
        ascii[t] = table[t, 0] if counts[t] == 1 else 0
    for i in range(n):
        cp = s[i]
        if cp < 128:  # branch-free: write, then advance only past a kept code
            c = ascii[cp]
            codes[m] = c
            origin[m] = <uint32_t>i
            m += c != 0
        elif cp < _BMP:
            cnt = counts[cp]
            for t in range(cnt):
                codes[m] = table[cp, t]
                origin[m] = <uint32_t>i
                m += 1
        else:
            codes[m] = cp
            origin[m] = <uint32_t>i
            m += 1
    return m


cdef Py_ssize_t _hash(
    const uint32_t* codes,
    const uint32_t* origin,
    Py_ssize_t m,
    uint64_t* out_h,
    uint32_t* out_s,
    uint32_t* out_e,
) noexcept nogil:
    """Rolling 9-gram hashes of ``codes``; write the sampled ones, mixed; return how many."""
    cdef uint64_t pw = 1, h = 0
    cdef Py_ssize_t k, kept = 0
    cdef int t
    for t in range(9):
        pw *= _BASE  # BASE**9: the weight a code has when it leaves the window
    for k in range(min(m, 8)):
        h = h * _BASE + codes[k]
    for k in range(8, m):
        h = h * _BASE + codes[k]
        if k >= 9:
            h -= codes[k - 9] * pw
        # branch-free: always write, keep by advancing (1 in 8 is a coin flip to a predictor)
        out_h[kept] = _mix(h)
        out_s[kept] = origin[k - 8]
        out_e[kept] = origin[k] + 1
        kept += (h * _SELECT) >> _SHIFT == 0
    return kept


def shingles(
    str text,
    const uint32_t[:, ::1] table,
    const uint8_t[::1] counts,
    uint32_t[::1] scratch,
    uint64_t[::1] out_h,
    uint32_t[::1] out_s,
    uint32_t[::1] out_e,
):
    """Fill the out arrays with the kept shingles; return (kept, folded characters).

    The out arrays must hold every shingle the text can have: a code point
    folds to at most three (one in ASCII text); ``scratch`` twice that.
    """
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), kept = 0, folded = 0
    cdef Py_ssize_t need = n if PyUnicode_IS_ASCII(text) else 3 * n
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    if min(out_h.shape[0], out_s.shape[0], out_e.shape[0], scratch.shape[0] // 2) < need + 1:
        raise ValueError("output arrays are too small")
    if table.shape[0] < _BMP or table.shape[1] < 3 or counts.shape[0] < _BMP:
        raise ValueError("fold table is too small")
    cdef uint32_t* codes = &scratch[0]
    cdef uint32_t* origin = codes + need + 1
    with nogil:
        if kind == 1:
            folded = _fold(<const uint8_t*>data, n, table, counts, codes, origin)
        elif kind == 2:
            folded = _fold(<const uint16_t*>data, n, table, counts, codes, origin)
        else:
            folded = _fold(<const uint32_t*>data, n, table, counts, codes, origin)
        kept = _hash(codes, origin, folded, &out_h[0], &out_s[0], &out_e[0])
    return kept, folded


cdef inline Py_ssize_t _put_utf8(char* out, Py_ssize_t k, uint32_t cp) noexcept nogil:
    if cp < 0x80:
        out[k] = <char>cp
        return k + 1
    if cp < 0x800:
        out[k] = <char>(0xC0 | (cp >> 6))
        out[k + 1] = <char>(0x80 | (cp & 0x3F))
        return k + 2
    if cp < 0x10000:  # surrogates too, as the surrogatepass error handler writes them
        out[k] = <char>(0xE0 | (cp >> 12))
        out[k + 1] = <char>(0x80 | ((cp >> 6) & 0x3F))
        out[k + 2] = <char>(0x80 | (cp & 0x3F))
        return k + 3
    out[k] = <char>(0xF0 | (cp >> 18))
    out[k + 1] = <char>(0x80 | ((cp >> 12) & 0x3F))
    out[k + 2] = <char>(0x80 | ((cp >> 6) & 0x3F))
    out[k + 3] = <char>(0x80 | (cp & 0x3F))
    return k + 4


cdef Py_ssize_t _collapse(const char_t* s, Py_ssize_t n, bint lower, char* out) noexcept nogil:
    cdef Py_ssize_t i, k = 0
    cdef bint pending = False
    cdef uint32_t cp
    for i in range(n):
        cp = s[i]
        if Py_UNICODE_ISSPACE(cp):
            pending = k > 0
            continue
        if pending:
            out[k] = 0x20
            k += 1
            pending = False
        if lower and 0x41 <= cp <= 0x5A:
            cp += 0x20
        k = _put_utf8(out, k, cp)
    return k


def collapse_utf8(str text, bint lower_ascii=False):
    """UTF-8 (surrogatepass) of ``" ".join(text.split())``; A-Z lowered when asked."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), k = 0
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef char* out = <char*>PyMem_Malloc(4 * n + 1)
    if out == NULL:
        raise MemoryError()
    try:
        with nogil:
            if kind == 1:
                k = _collapse(<const uint8_t*>data, n, lower_ascii, out)
            elif kind == 2:
                k = _collapse(<const uint16_t*>data, n, lower_ascii, out)
            else:
                k = _collapse(<const uint32_t*>data, n, lower_ascii, out)
        return PyBytes_FromStringAndSize(out, k)
    finally:
        PyMem_Free(out)


cdef struct Sink:
    char* buf
    Py_ssize_t size
    Py_ssize_t cap
    bint pending


cdef int _reserve(Sink* sink, Py_ssize_t more) except -1:
    cdef char* bigger
    cdef Py_ssize_t cap
    if sink.size + more <= sink.cap:
        return 0
    cap = max(2 * sink.cap, sink.size + more)
    bigger = <char*>PyMem_Realloc(sink.buf, cap)
    if bigger == NULL:
        raise MemoryError()
    sink.buf = bigger
    sink.cap = cap
    return 0


cdef inline void _put(Sink* sink, uint32_t cp) noexcept nogil:
    """Append one code point, A-Z lowered, whitespace collapsed (room for 5 bytes reserved)."""
    if Py_UNICODE_ISSPACE(cp):
        sink.pending = sink.size > 0
        return
    if sink.pending:
        sink.buf[sink.size] = 0x20
        sink.size += 1
        sink.pending = False
    if 0x41 <= cp <= 0x5A:
        cp += 0x20
    sink.size = _put_utf8(sink.buf, sink.size, cp)


cdef int _put_str(Sink* sink, str text) except -1:
    cdef Py_ssize_t i, n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    _reserve(sink, 5 * n)
    for i in range(n):
        _put(sink, PyUnicode_READ(kind, data, i))
    return 0


cdef int _text_v1(const char_t* s, Py_ssize_t n, str text, object fold, Sink* sink) except -1:
    cdef Py_ssize_t i = 0, j
    while i < n:
        _reserve(sink, 2 * (n - i) + 8)  # 2 bytes at most per ASCII character (a space before)
        while i < n and s[i] < 0x80 and (i + 1 == n or s[i + 1] < 0x80):
            _put(sink, s[i])
            i += 1
        if i >= n:
            break
        j = i + 1 if s[i] < 0x80 else i
        while j < n and s[j] >= 0x80:
            j += 1
        _put_str(sink, fold(PyUnicode_Substring(text, i, j)))
        i = j
    return 0


def text_v1_utf8(str text, fold):
    """UTF-8 (surrogatepass) of ``text-v1``: ``" ".join(fold(text).split())``, where
    ``fold`` is NFKC then casefold, applied only where the text is not ASCII.

    NFKC and casefold both act piecewise: casefold per code point, NFKC
    between normalisation boundaries, and there is one before every ASCII
    character (combining class 0, NFKC quick check Yes, second element of no
    composition). So the text is cut before each ASCII character; a piece that
    is one ASCII character folds to its lower case, and the others (an ASCII
    character, if any, then a run of non-ASCII ones) go to ``fold``.
    """
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Sink sink
    sink.size = 0
    sink.pending = False
    sink.cap = n + 16
    sink.buf = <char*>PyMem_Malloc(sink.cap)
    if sink.buf == NULL:
        raise MemoryError()
    try:
        if kind == 1:
            _text_v1(<const uint8_t*>data, n, text, fold, &sink)
        elif kind == 2:
            _text_v1(<const uint16_t*>data, n, text, fold, &sink)
        else:
            _text_v1(<const uint32_t*>data, n, text, fold, &sink)
        return PyBytes_FromStringAndSize(sink.buf, sink.size)
    finally:
        PyMem_Free(sink.buf)
