"""Multi-index hashing tables over 256-bit PDQ hashes, probed by direct addressing.

Multi-index hashing (Norouzi, Punjani and Fleet, "Fast Search in Hamming
Space with Multi-Index Hashing", CVPR 2012): each hash is cut into 11
chunks, ten probed within two bits (six of 24 bits, four of 23) and one
within one bit (20 bits). Two hashes within distance 31 differ, in at least
one chunk, by no more than its radius (pigeonhole: every chunk beyond its
radius would make 10 x 3 + 2 = 32 bits), so probing every chunk's value and
its neighbours within the radius finds every stored hash within 31 bits
(``REACH``); candidates are then checked with an exact popcount. The
narrow one-bit chunk uses the bit that eleven two-bit chunks would waste
(their reach is 32, one more than the calibrated threshold): fewer probes
and candidates for the same guarantee at 31.

Each chunk has a CSR table: ``offsets`` (``2**bits + 1`` uint32, one slot
per address) and ``postings`` (the stored rows, grouped by address), so a
probe is two array reads and every probe of a query is gathered in one numpy
call, with no search. The address is the chunk's top ``bits`` bits, sized to
the number of stored hashes (about one row per address, never more bits than
the chunk has): a small index keeps small tables, and a probe that then finds
rows with other low bits only adds candidates, which the exact popcount
check drops. Flipping a low bit leaves the address unchanged, so probing the
address within the radius covers every probe of the full chunk.

The probe loop and the distance check run compiled (``_probekernel.pyx``,
Cython) when built: the same arrays bit for bit as the numpy code here, which
is kept as the reference (``kernel=False``) and held to it by tests. CI
(``CI=true``) fails when the kernel is missing; ``CONSENTRY_IMAGE_KERNEL=0``
turns it off (to time the two paths).
"""

from __future__ import annotations

import functools
import itertools
import os
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

U8 = npt.NDArray[np.uint8]
U32 = npt.NDArray[np.uint32]
U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

# (width, probe radius) of each chunk, most significant bit first: 6 x 24 + 4 x 23 + 20 bits.
LAYOUT: tuple[tuple[int, int], ...] = ((24, 2),) * 6 + ((23, 2),) * 4 + ((20, 1),)
CHUNK_BITS: tuple[tuple[int, int], ...] = tuple(
    (sum(w for w, _ in LAYOUT[:i]), w) for i, (w, _) in enumerate(LAYOUT)
)  # (first bit, width)
CHUNK_RADIUS: tuple[int, ...] = tuple(r for _, r in LAYOUT)
CHUNKS = len(LAYOUT)
REACH = sum(r + 1 for r in CHUNK_RADIUS) - 1  # 31: every stored hash this close is a candidate
MIN_ADDRESS_BITS = 4
_BLOCK = 1 << 20

_kernel: ModuleType | None
try:
    from consentry.matching import _probekernel as _kernel
except ImportError:  # not compiled (a source checkout without `pip install -e .`)
    _kernel = None
BUILT = _kernel is not None
ACTIVE = BUILT and os.environ.get("CONSENTRY_IMAGE_KERNEL", "1") != "0"


def address_bits(rows: int) -> tuple[int, ...]:
    """Address bits per chunk for ``rows`` stored hashes: about one row per address."""
    want = max(MIN_ADDRESS_BITS, int(rows).bit_length())
    return tuple(min(width, want) for _, width in CHUNK_BITS)


def chunk_keys(hashes: U8) -> U32:
    """The chunk keys of each hash: ``uint32[n, CHUNKS]`` (big-endian bit order)."""
    out = np.empty((hashes.shape[0], CHUNKS), np.uint32)
    for lo in range(0, hashes.shape[0], _BLOCK):
        block = np.ascontiguousarray(hashes[lo : lo + _BLOCK], dtype=np.uint8)
        words = block.view(">u8").astype(np.uint64)  # [n, 4], bit 0 = the hash's first bit
        for c, (first, width) in enumerate(CHUNK_BITS):
            word, offset = divmod(first, 64)
            spill = offset + width - 64
            if spill <= 0:
                key = words[:, word] >> np.uint64(64 - offset - width)
            else:
                key = (words[:, word] << np.uint64(spill)) | (
                    words[:, word + 1] >> np.uint64(64 - spill)
                )
            out[lo : lo + _BLOCK, c] = key & np.uint64((1 << width) - 1)
    return out


@functools.cache
def flips(width: int, radius: int) -> U32:
    """Every mask of ``width`` bits with at most ``radius`` bits set (0 first)."""
    masks = [0]
    for r in range(1, radius + 1):
        masks += [sum(1 << b for b in bits) for bits in itertools.combinations(range(width), r)]
    return np.array(masks, dtype=np.uint32)


@dataclass(frozen=True)
class _Pattern:
    """The probes of one query hash, flattened over every chunk."""

    chunk: npt.NDArray[np.intp]  # which chunk each probe reads
    flip: U32  # the mask it XORs into the chunk's address
    table: I64  # where that chunk's table starts in ``offsets``
    shift: U32  # per chunk: the bits below its address
    kernel: tuple[I64, I64, I64, I64, U32, I64]  # per chunk first bit, width, shift, table
    # start; every flip mask, and where each chunk's masks start (the kernel's pattern)


@functools.cache
def _pattern(bits: tuple[int, ...], radii: tuple[int, ...]) -> _Pattern:
    sizes = [1 << b for b in bits]
    tables = np.cumsum([0] + [s + 1 for s in sizes])[:-1]
    per = [flips(b, r) for b, r in zip(bits, radii, strict=True)]
    chunk = np.repeat(np.arange(CHUNKS), [p.size for p in per])
    shift = np.array([w - b for (_, w), b in zip(CHUNK_BITS, bits, strict=True)], np.uint32)
    first, width = (np.array(column, np.int64) for column in zip(*CHUNK_BITS, strict=True))
    flip = np.concatenate(per)
    flip_start = np.cumsum([0] + [p.size for p in per]).astype(np.int64)
    kernel = (first, width, shift.astype(np.int64), tables.astype(np.int64), flip, flip_start)
    return _Pattern(chunk, flip, tables[chunk].astype(np.int64), shift, kernel)


@dataclass(frozen=True)
class HashTables:
    """The CSR tables of every chunk over ``rows`` stored hashes (arrays may be memory maps)."""

    bits: tuple[int, ...]
    offsets: U32  # concatenated per chunk: 2**bits[c] + 1 entries each
    postings: U32  # uint32[CHUNKS, rows]: row numbers grouped by address

    @property
    def rows(self) -> int:
        """How many stored hashes the tables cover (rows ``0 .. rows-1``)."""
        return int(self.postings.shape[1])

    @classmethod
    def build(cls, hashes: U8) -> HashTables:
        """Tables over ``hashes`` (``uint8[n, 32]``); a counting sort per chunk."""
        n = int(hashes.shape[0])
        if n >= 1 << 32:
            raise ValueError("an image index holds fewer than 2**32 hashes")
        bits = address_bits(n)
        keys = chunk_keys(hashes)
        offsets: list[U32] = []
        postings = np.empty((CHUNKS, n), np.uint32)
        for c, ((_, width), b) in enumerate(zip(CHUNK_BITS, bits, strict=True)):
            address = keys[:, c] >> np.uint32(width - b)
            counts = np.bincount(address, minlength=1 << b)
            offsets.append(np.concatenate([[0], np.cumsum(counts)]).astype(np.uint32))
            postings[c] = np.argsort(address, kind="stable")
        return cls(bits, np.concatenate(offsets), postings)

    @functools.cached_property
    def _chunk_base(self) -> I64:
        """Where each probe's chunk starts in the flattened postings."""
        chunk: I64 = _pattern(self.bits, CHUNK_RADIUS).chunk * self.rows
        return chunk

    def candidates(self, q_hashes: U8, kernel: bool | None = None) -> tuple[U32, I64]:
        """Stored rows sharing a chunk address within two bits with each query hash.

        Returns the rows, grouped by query hash, and how many belong to each
        query hash. Every stored row within ``REACH`` bits of a query hash is
        in its group; a row found through several chunks is there once per
        chunk. Probes of empty addresses cost nothing past their two reads.
        ``kernel``: the compiled loop (default: when built and not turned off)
        or the numpy reference; both give the same arrays.
        """
        q = int(q_hashes.shape[0])
        if self.rows == 0 or q == 0:
            return np.zeros(0, np.uint32), np.zeros(q, np.int64)
        pat = _pattern(self.bits, CHUNK_RADIUS)
        if _kernel is not None and (ACTIVE if kernel is None else kernel):
            q_bytes = np.ascontiguousarray(q_hashes, dtype=np.uint8).reshape(q, 32)
            found: tuple[U32, I64] = _kernel.candidates(
                q_bytes, self.offsets, self.postings, *pat.kernel
            )
            return found
        address = chunk_keys(q_hashes) >> pat.shift  # [q, CHUNKS]
        probe = ((address[:, pat.chunk] ^ pat.flip) + pat.table).ravel()
        start = np.take(self.offsets, probe).astype(np.int64)
        length = np.take(self.offsets, probe + 1) - start
        ends = np.cumsum(length)
        first = (start.reshape(q, -1) + self._chunk_base).ravel() - ends + length
        where = np.repeat(first, length) + np.arange(int(ends[-1]))
        rows: U32 = np.take(self.postings.reshape(-1), where)
        per_query: I64 = length.reshape(q, -1).sum(axis=1)
        return rows, per_query


def distances(
    stored: U8,
    rows: npt.NDArray[np.integer],
    q_hashes: U8,
    per_query: I64,
    kernel: bool | None = None,
) -> I64:
    """Hamming distance between each of ``stored[rows]`` and its query hash.

    ``rows`` are grouped by query hash, ``per_query[j]`` of them for
    ``q_hashes[j]``. Compiled (``kernel``, as in :meth:`HashTables.candidates`;
    for ``uint32`` rows, as candidates gives them): one pass, each record
    prefetched ahead. The numpy reference gathers rows as 32-byte records
    (``np.take``: one copy each, the fastest gather numpy has), XORs them in
    place as 64-bit words with their query hashes repeated alike, and sums each
    record's four popcounts in 16-bit lanes.
    """
    if _kernel is not None and (ACTIVE if kernel is None else kernel) and rows.dtype == np.uint32:
        stored64 = np.ascontiguousarray(stored, dtype=np.uint8).reshape(-1, 32).view(np.uint64)
        q_words = np.ascontiguousarray(q_hashes, dtype=np.uint8).reshape(-1, 32).view(np.uint64)
        total: I64 = _kernel.distances(stored64, rows, q_words, np.asarray(per_query, np.int64))
        return total
    records = np.ascontiguousarray(stored).view(np.dtype("V32")).reshape(-1)
    words = np.take(records, rows).view(np.uint64).reshape(-1)
    q_records = np.ascontiguousarray(q_hashes, dtype=np.uint8).view(np.dtype("V32")).reshape(-1)
    words ^= np.repeat(q_records, per_query).view(np.uint64)
    counts = np.bitwise_count(words)  # uint8[n, 4], each at most 64
    packed = counts.view(np.uint32).reshape(-1)
    pairs = (packed & np.uint32(0x00FF00FF)) + ((packed >> np.uint32(8)) & np.uint32(0x00FF00FF))
    summed: I64 = ((pairs & np.uint32(0xFFFF)) + (pairs >> np.uint32(16))).astype(np.int64)
    return summed
