"""Near-copy and excerpt fingerprints of text: sampled character shingles.

Scheme ``text-shingle-v1`` (the name is stored with every fingerprint, because a
creator's verifier must reproduce it bit for bit):

1. Fold each code point as ``text-v1`` does (NFKC's compatibility mapping,
   case folding), then go further: drop combining marks (NFKD), and drop every
   character that is not a letter or digit, spaces included. What is left is a
   run of letters and digits, each remembering its offset in the original
   text. Reflow, case, punctuation, markup entities and split or joined words
   then change nothing, and OCR noise changes only the characters it hits.
2. Hash every run of ``SHINGLE`` consecutive folded characters (a character
   9-gram: long enough that unrelated texts rarely share one, short enough
   that 3% character noise leaves three in four intact) with a polynomial
   hash mod 2**64, computed for all positions at once (Horner's rule over
   cache-sized blocks).
3. Keep the shingles whose mixed hash falls in one ``SAMPLE``-th of the hash
   space. The choice depends on the shingle alone, never on its neighbours,
   so a passage keeps the same anchors wherever it is quoted, and the share
   of an item's kept hashes found in a work estimates the share of the item
   copied from the work (containment), which is what finds excerpts.

Two implementations give the same output bit for bit: the compiled kernel
(``_textkernel.pyx``: steps 1-3 in one pass with a rolling hash), used when
it is built (:mod:`consentry.fingerprint.kernel`), and the numpy reference
below (vectorised, no Python loop per character), which the tests hold the
kernel to on arbitrary Unicode.
"""

from __future__ import annotations

import functools
import hashlib
import threading
import unicodedata
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from consentry.fingerprint import kernel
from consentry.fingerprint.exact import normalised_utf8

if kernel.BUILT:
    from consentry.fingerprint import _textkernel

TEXT_SHINGLE_SCHEME = "text-shingle-v1"
SHINGLE = 9
SAMPLE = 8
_BMP = 0x10000
_MAX_EXPANSION = 3
_BLOCK = 1 << 15
_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd, so invertible mod 2**64
_SELECT = np.uint64(0xD6E8FEB86659FD93)
_SAMPLE_SHIFT = np.uint64(64 - (SAMPLE.bit_length() - 1))
if kernel.BUILT and kernel.constants() != (SHINGLE, int(_BASE), int(_SELECT), int(_SAMPLE_SHIFT)):
    raise RuntimeError("the compiled text kernel was built for other text-shingle-v1 constants")

U64 = npt.NDArray[np.uint64]
U32 = npt.NDArray[np.uint32]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True, eq=False)
class TextFingerprint:
    """The sampled shingles of one text, in text order.

    ``starts``/``ends`` are code-point offsets into the original text (not the
    folded one), so a match can show the passage as the reader sees it.
    ``folded_chars`` counts the letters and digits: the measure of how much
    the text says. ``content_sha256`` is the ``text-v1`` exact hash, or None
    when the caller chose not to compute it (a query computes it only when a
    work is a candidate for an exact match).
    """

    scheme: str
    hashes: U64
    starts: U32
    ends: U32
    folded_chars: int
    content_sha256: str | None = None

    def __len__(self) -> int:
        return int(self.hashes.size)


def content_sha256(text: str) -> str:
    """The ``text-v1`` exact hash, as :func:`consentry.fingerprint.exact_fingerprints` gives."""
    # surrogatepass: a lone surrogate (text decoded with surrogateescape) hashes, not raises.
    return hashlib.sha256(normalised_utf8(text)).hexdigest()


@functools.cache
def _fold_table() -> tuple[U32, npt.NDArray[np.uint8]]:
    """Per BMP code point: up to three folded code points and their count."""
    table = np.zeros((_BMP, _MAX_EXPANSION), dtype=np.uint32)
    counts = np.zeros(_BMP, dtype=np.uint8)
    for cp in range(_BMP):
        if 0xD800 <= cp < 0xE000:
            continue
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", chr(cp)).casefold())
        kept = [c for c in folded if c.isalnum() and not unicodedata.category(c).startswith("M")]
        kept = kept[:_MAX_EXPANSION]
        counts[cp] = len(kept)
        for i, c in enumerate(kept):
            table[cp, i] = ord(c)
    return table, counts


@functools.cache
def _ascii_table() -> npt.NDArray[np.uint8]:
    """The fold table restricted to ASCII, as bytes: the fast path for most text."""
    table, counts = _fold_table()
    return np.where(counts[:128] == 1, table[:128, 0], 0).astype(np.uint8)


def fold(text: str) -> tuple[U32, I64]:
    """Folded code points of ``text`` and, for each, its offset in ``text``.

    Code points outside the Basic Multilingual Plane are kept unchanged (rare
    in prose; folding them would need a table 17 times larger).
    """
    if not text:
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    if text.isascii():
        raw = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        folded = _ascii_table()[raw]
        keep = np.flatnonzero(folded)
        return folded[keep].astype(np.uint32), keep
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table, counts = _fold_table()
    big = cps >= _BMP
    idx = np.where(big, 0, cps)
    cnt = counts[idx]
    cnt[big] = 1
    if not (cnt > 1).any():
        keep = np.flatnonzero(cnt)
        out = table[idx[keep], 0]
        out[big[keep]] = cps[keep][big[keep]]
        return out, keep.astype(np.int64)
    origin = np.repeat(np.arange(cps.size, dtype=np.int64), cnt)
    within = np.arange(origin.size) - np.repeat(np.cumsum(cnt, dtype=np.int64) - cnt, cnt)
    out = table[idx[origin], within]
    out[big[origin]] = cps[origin][big[origin]]
    return out, origin


def shingle_hashes(codes: U32) -> U64:
    """The hash of every ``SHINGLE``-gram of ``codes``, in order (vectorised).

    h(i) = sum_j codes[i + j] * BASE**(SHINGLE - 1 - j) mod 2**64 (Horner's
    rule; uint64 arithmetic wraps, as intended), computed in blocks that fit
    the CPU cache: numpy passes over a cached block are several times faster
    than passes over the whole text.
    """
    n = codes.size
    count = n - SHINGLE + 1
    if count <= 0:
        return np.zeros(0, np.uint64)
    wide = codes.astype(np.uint64)
    out = np.empty(count, dtype=np.uint64)
    for start in range(0, count, _BLOCK):
        stop = min(start + _BLOCK, count)
        block = out[start:stop]
        block[:] = wide[start:stop]
        for j in range(1, SHINGLE):
            block *= _BASE
            block += wide[start + j : stop + j]
    return out


def _mix(h: U64) -> U64:
    """MurmurHash3's 64-bit finaliser: spreads every input bit over the output."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    mixed: U64 = h ^ (h >> np.uint64(33))
    return mixed


Arrays = tuple[U64, U32, U32, int]


def reference_arrays(text: str) -> Arrays:
    """(hashes, starts, ends, folded chars) of ``text`` with the numpy reference code."""
    codes, origin = fold(text)
    raw = shingle_hashes(codes)
    keep = np.flatnonzero((raw * _SELECT) >> _SAMPLE_SHIFT == 0)
    starts = origin[keep].astype(np.uint32)
    ends = (origin[keep + SHINGLE - 1] + 1).astype(np.uint32)
    return _mix(raw[keep]), starts, ends, int(codes.size)


def kernel_arrays(text: str) -> Arrays:
    """As :func:`reference_arrays`, in one compiled pass (needs the kernel built)."""
    table, counts = _fold_table()
    need = (len(text) if text.isascii() else _MAX_EXPANSION * len(text)) + 1
    scratch, hashes, starts, ends = _scratch(need)
    kept, folded = _textkernel.shingles(text, table, counts, scratch, hashes, starts, ends)
    return hashes[:kept].copy(), starts[:kept].copy(), ends[:kept].copy(), folded


_SCRATCH = threading.local()


def _scratch(need: int) -> tuple[U32, U64, U32, U32]:
    """This thread's work arrays for the kernel, grown to ``need`` (reused: no page faults)."""
    have: tuple[U32, U64, U32, U32] | None = getattr(_SCRATCH, "arrays", None)
    if have is None or have[1].size < need:
        size = max(need, 1 << 16)
        have = (
            np.empty(2 * size, np.uint32),
            np.empty(size, np.uint64),
            np.empty(size, np.uint32),
            np.empty(size, np.uint32),
        )
        _SCRATCH.arrays = have
    return have


def text_fingerprint(text: str, *, with_content_hash: bool = True) -> TextFingerprint:
    """The ``text-shingle-v1`` fingerprint of ``text`` (any length, even empty)."""
    hashes, starts, ends, folded = (kernel_arrays if kernel.ACTIVE else reference_arrays)(text)
    return TextFingerprint(
        scheme=TEXT_SHINGLE_SCHEME,
        hashes=hashes,
        starts=starts,
        ends=ends,
        folded_chars=folded,
        content_sha256=content_sha256(text) if with_content_hash else None,
    )
