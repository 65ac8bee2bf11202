"""Shingle postings: (hash, work number, offset) sorted by hash, main arrays plus a delta.

The main arrays may be read-only memory maps (loaded by :mod:`text_store`);
new works go to pending chunks, sorted into a delta on the next search, so a
batch of additions costs one sort. :meth:`Postings.compact` merges the delta
into the main arrays and drops the postings of removed works.

Most of an item's shingles are in no registered work. A table of which hash
prefixes occur in the main arrays (a byte per prefix, about 16 prefixes per
posting, built once per main arrays) turns those away with one lookup each
in a small array, before any binary search of the (possibly huge, memory
mapped) sorted hashes. The compiled kernel uses a directory instead (where
each hash prefix's run of postings starts, :meth:`Postings.directories`), which
also narrows the search for the hashes that are there to a few postings.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from consentry.fingerprint import kernel
from consentry.fingerprint.text import U32, U64

if kernel.BUILT:
    from consentry.fingerprint import _alignkernel

I64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_PREFIX_BITS = (12, 26)  # the prefix table's size bounds: 4 KB to 64 MB
_DIRECTORY_BITS = (10, 22)  # the directory's: 8 KB to 32 MB (about one posting a bucket)
_BLOCK = 1 << 22


def _empty() -> tuple[U64, U32, U32]:
    return np.zeros(0, np.uint64), np.zeros(0, np.uint32), np.zeros(0, np.uint32)


def _sorted(hashes: U64, works: U32, pos: U32) -> tuple[U64, U32, U32]:
    order = np.lexsort((pos, works, hashes))
    return hashes[order], works[order], pos[order]


class Postings:
    """Sorted postings with an in-memory delta for incremental additions."""

    def __init__(self, main: tuple[U64, U32, U32] | None = None) -> None:
        self.main = main or _empty()
        self._delta = _empty()
        self._pending: list[tuple[U64, U32, U32]] = []
        self._prefixes: tuple[np.uint64, Bools] | None = None
        self._directories: dict[bool, tuple[I64, int]] = {}

    def __len__(self) -> int:
        return int(self.main[0].size + self._delta[0].size) + sum(
            int(p[0].size) for p in self._pending
        )

    def add(self, hashes: U64, work: int, starts: U32) -> None:
        """Queue one work's postings (sorted into the delta on the next search)."""
        works = np.full(hashes.size, work, dtype=np.uint32)
        self._pending.append((hashes.astype(np.uint64), works, starts.astype(np.uint32)))

    def delta(self) -> tuple[U64, U32, U32]:
        """The sorted delta, after folding in everything pending."""
        if self._pending:
            parts = [self._delta, *self._pending]
            self._pending = []
            self._delta = _sorted(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
            self._directories.pop(False, None)
        return self._delta

    def compact(self, alive: Bools) -> None:
        """Merge the delta into the main arrays, keeping only works marked alive."""
        delta = self.delta()
        merged = [np.concatenate([self.main[i], delta[i]]) for i in range(3)]
        keep = alive[merged[1]] if merged[1].size else np.zeros(0, bool)
        self.main = _sorted(merged[0][keep], merged[1][keep], merged[2][keep])
        self._delta = _empty()
        self._prefixes = None
        self._directories = {}

    def main_prefixes(self) -> tuple[np.uint64, Bools]:
        """(shift, seen): ``seen[h >> shift]`` is False for a hash in no main posting."""
        if self._prefixes is None:
            table = self.main[0]
            low, high = _PREFIX_BITS
            bits = min(max(int(table.size).bit_length() + 4, low), high)
            shift = np.uint64(64 - bits)
            seen = np.zeros(1 << bits, np.bool_)
            for start in range(0, table.size, _BLOCK):
                seen[np.asarray(table[start : start + _BLOCK]) >> shift] = True
            self._prefixes = (shift, seen)
        return self._prefixes

    def directories(self) -> list[tuple[U64, U32, U32, I64, int]]:
        """(hashes, works, offsets, directory, shift) of the main arrays and the delta, for
        the kernel's lookup (``_alignkernel.pairs``); built once per arrays, in one pass."""
        out = []
        for main, arrays in ((True, self.main), (False, self.delta())):
            table = np.ascontiguousarray(arrays[0], np.uint64)
            if main not in self._directories:
                low, high = _DIRECTORY_BITS
                bits = min(max(int(table.size).bit_length(), low), high)
                self._directories[main] = (_alignkernel.directory(table, bits), 64 - bits)
            directory, shift = self._directories[main]
            works, pos = (np.ascontiguousarray(a, np.uint32) for a in arrays[1:])
            out.append((table, works, pos, directory, shift))
        return out


def _ranges(table: U64, hashes: U64, cap: int) -> tuple[I64, I64, I64]:
    """The query hashes found in ``table``: (their indices, run starts, run lengths).

    Most hashes of an item are in no work, so only the found ones pay for the
    second search (the end of their run). Runs longer than ``cap`` are dropped.
    """
    lo = np.searchsorted(table, hashes, side="left").astype(np.int64)
    inside = np.flatnonzero(lo < table.size)
    hit = inside[table[lo[inside]] == hashes[inside]]
    start = lo[hit]
    length = np.searchsorted(table, hashes[hit], side="right").astype(np.int64) - start
    small = length <= cap
    return hit[small], start[small], length[small]


def expand(postings: Postings, hashes: U64, cap: int) -> tuple[I64, I64, I64]:
    """Every (item shingle index, work number, work offset) pair sharing a hash.

    A hash found in more than ``cap`` postings (boilerplate shared by many
    works) says little about any one of them and is skipped.
    """
    out_i, out_w, out_p = [], [], []
    for main, (table, works, pos) in ((True, postings.main), (False, postings.delta())):
        if table.size == 0 or hashes.size == 0:
            continue
        asked = np.arange(hashes.size, dtype=np.int64)
        if main:
            shift, seen = postings.main_prefixes()
            asked = np.flatnonzero(seen[hashes >> shift])
        hit, start, lengths = _ranges(table, hashes[asked], cap)
        hit = asked[hit]
        if hit.size == 0:
            continue
        item_i = np.repeat(hit, lengths)
        first = np.repeat(start - np.cumsum(lengths) + lengths, lengths)
        rows = first + np.arange(item_i.size)
        out_i.append(item_i)
        out_w.append(works[rows].astype(np.int64))
        out_p.append(pos[rows].astype(np.int64))
    if not out_i:
        z = np.zeros(0, np.int64)
        return z, z, z
    return np.concatenate(out_i), np.concatenate(out_w), np.concatenate(out_p)
