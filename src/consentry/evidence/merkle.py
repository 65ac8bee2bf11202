"""Merkle trees, inclusion and consistency proofs, exactly as RFC 9162 section 2.1 defines them.

Hashing (RFC 9162 2.1.1): SHA-256; a leaf is ``SHA-256(0x00 || entry)``, an
interior node ``SHA-256(0x01 || left || right)``, the empty tree
``SHA-256()``. A tree of n > 1 leaves splits at k, the largest power of two
smaller than n. Proofs are generated as 2.1.3.1 (PATH) and 2.1.4.1 (PROOF)
define them, and verified with the iterative algorithms of 2.1.3.2 and
2.1.4.2, which never build a tree. Pure: bytes in, bytes out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32


class ProofError(ValueError):
    """A proof does not prove what it claims; the message says which check failed."""


class InclusionProofError(ProofError):
    """An inclusion proof failed verification."""


class ConsistencyProofError(ProofError):
    """A consistency proof failed verification: the two tree heads may be a fork."""


def hash_leaf(entry: bytes) -> bytes:
    """RFC 9162 2.1.1: the hash of one log entry."""
    return hashlib.sha256(LEAF_PREFIX + entry).digest()


def hash_children(left: bytes, right: bytes) -> bytes:
    """RFC 9162 2.1.1: the hash of an interior node."""
    return hashlib.sha256(NODE_PREFIX + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleTree:
    """The leaf hashes of a log, with the roots of all complete subtrees kept compactly.

    A complete subtree (a power-of-two range aligned to its size) never
    changes once its leaves exist, so its root is computed once and kept in
    one ``bytearray`` per level (32 bytes a node: about 32 bytes a leaf in
    all). Roots and proofs for any tree size then cost O(log n) hashes; new
    leaves are hashed into the levels lazily, amortised O(1) each. Leaves are
    kept packed too (32 bytes each, no object per leaf), and only appended.
    """

    def __init__(self, leaf_hashes: Sequence[bytes] = ()) -> None:
        self._leaves = bytearray(b"".join(leaf_hashes))  # 32 bytes a leaf, no object per leaf
        if len(self._leaves) != HASH_SIZE * len(leaf_hashes):
            raise ValueError("every leaf hash is 32 bytes")
        self._levels: list[bytearray] = []  # _levels[i]: complete subtrees of 2**(i+1) leaves

    @classmethod
    def from_packed(cls, leaf_hashes: bytes) -> MerkleTree:
        """A tree over leaf hashes given concatenated (32 bytes each), without a list of them."""
        if len(leaf_hashes) % HASH_SIZE:
            raise ValueError("packed leaf hashes are a whole number of 32-byte hashes")
        tree = cls()
        tree._leaves = bytearray(leaf_hashes)
        return tree

    def __len__(self) -> int:
        return len(self._leaves) // HASH_SIZE

    def leaf(self, index: int) -> bytes:
        """The hash of leaf ``index``."""
        if not 0 <= index < len(self):
            raise IndexError(f"no leaf {index} in a tree of {len(self)} leaves")
        return bytes(self._leaves[index * HASH_SIZE : (index + 1) * HASH_SIZE])

    def append(self, leaf_hash: bytes) -> int:
        """Add a leaf hash; returns its index."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError("a leaf hash is 32 bytes")
        self._leaves += leaf_hash
        return len(self) - 1

    def _sync(self) -> None:
        """Hash every complete subtree not yet kept (each exactly once)."""
        level, count, width = 1, len(self) >> 1, 2 * HASH_SIZE
        while count:
            if len(self._levels) < level:
                self._levels.append(bytearray())
            kept, done = self._levels[level - 1], len(self._levels[level - 1]) // HASH_SIZE
            below = self._leaves if level == 1 else self._levels[level - 2]
            for j in range(done, count):  # the two children are adjacent in the level below
                kept += hashlib.sha256(NODE_PREFIX + below[j * width : (j + 1) * width]).digest()
            level, count = level + 1, count >> 1

    def _node(self, level: int, j: int) -> bytes:
        kept = self._leaves if level == 0 else self._levels[level - 1]
        return bytes(kept[j * HASH_SIZE : (j + 1) * HASH_SIZE])

    def root(self, size: int | None = None) -> bytes:
        """RFC 9162 2.1.1 MTH of the first ``size`` leaves (default: all)."""
        n = len(self) if size is None else size
        self._check_size(n)
        self._sync()
        return self._mth(0, n)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 2.1.3.1 PATH(index, D[0:size])."""
        n = len(self) if size is None else size
        self._check_size(n)
        if not 0 <= index < n:
            raise ValueError(f"leaf {index} is not in a tree of {n} leaves")
        self._sync()
        return self._path(index, 0, n)

    def consistency_proof(self, old_size: int, size: int | None = None) -> list[bytes]:
        """RFC 9162 2.1.4.1 PROOF(old_size, D[0:size]), for 0 < old_size <= size."""
        n = len(self) if size is None else size
        self._check_size(n)
        if not 0 < old_size <= n:
            raise ValueError(f"no consistency proof from size {old_size} to size {n}")
        self._sync()
        return self._subproof(old_size, 0, n, True)

    def _check_size(self, n: int) -> None:
        if not 0 <= n <= len(self):
            raise ValueError(f"tree size {n} is outside 0..{len(self)}")

    def _mth(self, start: int, end: int) -> bytes:
        n = end - start
        if n == 0:
            return EMPTY_ROOT
        if n & (n - 1) == 0 and start % n == 0:
            level = n.bit_length() - 1
            return self._node(level, start >> level)
        k = split_point(n)
        return hash_children(self._mth(start, start + k), self._mth(start + k, end))

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return [*self._path(m, start, start + k), self._mth(start + k, end)]
        return [*self._path(m - k, start + k, end), self._mth(start, start + k)]

    def _subproof(self, m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [self._mth(start, end)]
        k = split_point(n)
        if m <= k:
            return [*self._subproof(m, start, start + k, whole), self._mth(start + k, end)]
        return [*self._subproof(m - k, start + k, end, False), self._mth(start, start + k)]


def verify_inclusion(
    index: int, size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 2.1.3.2: that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` with ``root``.

    Raises :class:`InclusionProofError` saying which check failed.
    """
    if not 0 <= index < size:
        raise InclusionProofError(f"leaf index {index} is not below tree size {size}")
    _check_lengths(InclusionProofError, leaf_hash, root, *proof)
    fn, sn, r = index, size - 1, leaf_hash
    for p in proof:
        if sn == 0:
            raise InclusionProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = hash_children(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = hash_children(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise InclusionProofError("the proof is shorter than the tree is deep")
    if r != root:
        raise InclusionProofError("the proof leads to another root: the leaf is not in this tree")


def verify_consistency(
    old_size: int, size: int, proof: Sequence[bytes], old_root: bytes, root: bytes
) -> None:
    """RFC 9162 2.1.4.2: that the tree of ``size`` extends the tree of ``old_size``.

    Raises :class:`ConsistencyProofError` saying which check failed (two tree
    heads that no proof reconciles are a fork).
    """
    if not 0 <= old_size <= size:
        raise ConsistencyProofError(f"size {old_size} is not a prefix of size {size}")
    if old_size == 0:
        raise ConsistencyProofError("a consistency proof from the empty tree proves nothing")
    if old_size == size:
        if proof:
            raise ConsistencyProofError("equal sizes need an empty proof")
        if old_root != root:
            raise ConsistencyProofError("two different roots for the same size: a fork")
        return
    _check_lengths(ConsistencyProofError, old_root, root, *proof)
    if not proof:
        raise ConsistencyProofError("the proof is empty")
    path = list(proof)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ConsistencyProofError("the proof is longer than the trees need")
        if fn & 1 or fn == sn:
            fr, sr = hash_children(c, fr), hash_children(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = hash_children(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ConsistencyProofError("the proof is shorter than the trees need")
    if fr != old_root:
        raise ConsistencyProofError("the proof does not lead to the old root")
    if sr != root:
        raise ConsistencyProofError("the proof does not lead to the new root")


def _check_lengths(error: type[ProofError], *hashes: bytes) -> None:
    if any(len(h) != HASH_SIZE for h in hashes):
        raise error(f"every hash must be {HASH_SIZE} bytes (SHA-256)")
