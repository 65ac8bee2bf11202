"""A dataset version as a commitment: a Merkle tree over its included items' hashes.

The leaves are the strictly sorted, de-duplicated SHA-256 values (raw
``sha256`` and normalised ``content_sha256``) of every included item, each
leaf the RFC 9162 leaf hash of the 32 raw bytes. The sorted list itself is
published beside the manifest (``included-hashes.bin``: the 32-byte hashes
concatenated), so anyone can check that it is sorted and that it gives the
root: that is what makes a proof that a hash is *absent* sound (two adjacent
leaves, one below and one above it, both proven included).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import overload

from consentry.evidence.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MerkleTree,
    ProofError,
    hash_leaf,
    verify_inclusion,
)


class PackedHashes(Sequence[bytes]):
    """32-byte hashes kept concatenated in one ``bytes``: 32 bytes each, no object per hash."""

    def __init__(self, packed: bytes) -> None:
        if len(packed) % HASH_SIZE:
            raise ValueError("the hash list is not a whole number of 32-byte hashes")
        self.packed = packed

    def __len__(self) -> int:
        return len(self.packed) // HASH_SIZE

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.packed[index * HASH_SIZE : (index + 1) * HASH_SIZE]

    def strictly_sorted(self) -> bool:
        """Whether each hash sorts after the one before it (as bytes: big-endian words)."""
        import numpy as np  # here, not at the top: checking a certificate alone needs none

        words = np.frombuffer(self.packed, dtype=">u8").reshape(-1, 4)
        before, after = words[:-1], words[1:]
        differs = before != after
        first = differs.argmax(axis=1)
        rows = np.arange(first.size)
        return bool(differs.any(axis=1).all() and (after[rows, first] > before[rows, first]).all())


@dataclass(frozen=True)
class Commitment:
    """The sorted hashes of a dataset version and their tree."""

    hashes: PackedHashes
    tree: MerkleTree

    @classmethod
    def of(cls, hex_hashes: Iterable[str]) -> Commitment:
        """Commit to a set of hex SHA-256 values (order, case and repeats do not matter).

        The values are packed into one buffer at once and sorted and
        de-duplicated there (numpy, as four big-endian words: byte order), so
        ten million hashes need a few hundred megabytes, not an object each.
        """
        text = "".join(hex_hashes)
        if len(text) % (2 * HASH_SIZE) or (text and not (text.isascii() and text.isalnum())):
            raise ValueError("a dataset commitment holds SHA-256 values only")
        try:
            packed = bytes.fromhex(text)
        except ValueError as exc:
            raise ValueError(f"a dataset commitment holds SHA-256 values only: {exc}") from exc
        del text
        import numpy as np  # here, not at the top: checking a certificate alone needs none

        words = np.frombuffer(packed, dtype=">u8").reshape(-1, 4)
        rows = np.unique(words.view([("w0", ">u8"), ("w1", ">u8"), ("w2", ">u8"), ("w3", ">u8")]))
        return cls._of_packed(rows.tobytes())

    @classmethod
    def from_file(cls, data: bytes) -> Commitment:
        """Read a published ``included-hashes.bin``; ValueError unless strictly sorted."""
        hashes = PackedHashes(bytes(data))
        if not hashes.strictly_sorted():
            raise ValueError("the hash list is not strictly sorted: its proofs of absence are void")
        return cls._of_packed(hashes.packed)

    @classmethod
    def _of_packed(cls, packed: bytes) -> Commitment:
        hashes = PackedHashes(packed)
        leaves = bytearray(len(packed))
        for i in range(0, len(packed), HASH_SIZE):
            leaves[i : i + HASH_SIZE] = hash_leaf(packed[i : i + HASH_SIZE])
        return cls(hashes, MerkleTree.from_packed(bytes(leaves)))

    def to_file(self) -> bytes:
        """The published form: the sorted hashes concatenated."""
        return self.hashes.packed

    @property
    def root(self) -> bytes:
        """The dataset version's root."""
        return self.tree.root()

    def __len__(self) -> int:
        return len(self.hashes)


@dataclass(frozen=True)
class Neighbour:
    """A leaf next to an absent hash, with its inclusion proof."""

    index: int
    value: bytes
    proof: tuple[bytes, ...]


@dataclass(frozen=True)
class AbsenceProof:
    """That a hash is not in a sorted commitment: its two neighbours, adjacent and proven.

    ``below`` is None when the hash sorts before every leaf, ``above`` when it
    sorts after every leaf; both are None only for the empty tree.
    """

    size: int
    below: Neighbour | None
    above: Neighbour | None


def prove_absent(commitment: Commitment, value: bytes) -> AbsenceProof:
    """Proof that ``value`` is not committed; ValueError when it is."""
    hashes = commitment.hashes
    at = bisect.bisect_left(hashes, value)
    if at < len(hashes) and hashes[at] == value:
        raise ValueError("the hash is in the dataset version: it cannot be proven absent")

    def neighbour(index: int) -> Neighbour | None:
        if not 0 <= index < len(hashes):
            return None
        proof = tuple(commitment.tree.inclusion_proof(index))
        return Neighbour(index, hashes[index], proof)

    return AbsenceProof(len(hashes), neighbour(at - 1), neighbour(at))


def verify_absent(value: bytes, proof: AbsenceProof, root: bytes) -> None:
    """Check an :class:`AbsenceProof` against a commitment's root (ProofError when it fails).

    Sound only over a strictly sorted list: check the published list with
    :meth:`Commitment.from_file`, or trust the operator on the order.
    """
    below, above, size = proof.below, proof.above, proof.size
    if size == 0:
        if root != EMPTY_ROOT or below or above:
            raise ProofError("an empty dataset has the empty root and no neighbours")
        return
    if below is None and above is None:
        raise ProofError("a non-empty dataset needs a neighbour")
    for leaf in (below, above):
        if leaf is not None:
            verify_inclusion(leaf.index, size, hash_leaf(leaf.value), leaf.proof, root)
    if below is not None and not below.value < value:
        raise ProofError("the lower neighbour does not sort before the hash")
    if above is not None and not value < above.value:
        raise ProofError("the upper neighbour does not sort after the hash")
    adjacent = (
        (below is None and above is not None and above.index == 0)
        or (above is None and below is not None and below.index == size - 1)
        or (below is not None and above is not None and above.index == below.index + 1)
    )
    if not adjacent:
        raise ProofError("the neighbours are not adjacent: something may lie between them")
