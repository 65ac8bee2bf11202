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
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from consentry.evidence.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MerkleTree,
    ProofError,
    hash_leaf,
    verify_inclusion,
)


@dataclass(frozen=True)
class Commitment:
    """The sorted hashes of a dataset version and their tree."""

    hashes: tuple[bytes, ...]
    tree: MerkleTree

    @classmethod
    def of(cls, hex_hashes: Iterable[str]) -> Commitment:
        """Commit to a set of hex SHA-256 values (order and repeats do not matter)."""
        raw = sorted({bytes.fromhex(h) for h in hex_hashes})
        if any(len(h) != HASH_SIZE for h in raw):
            raise ValueError("a dataset commitment holds SHA-256 values only")
        return cls(tuple(raw), MerkleTree([hash_leaf(h) for h in raw]))

    @classmethod
    def from_file(cls, data: bytes) -> Commitment:
        """Read a published ``included-hashes.bin``; ValueError unless strictly sorted."""
        if len(data) % HASH_SIZE:
            raise ValueError("the hash list is not a whole number of 32-byte hashes")
        raw = tuple(data[i : i + HASH_SIZE] for i in range(0, len(data), HASH_SIZE))
        if any(a >= b for a, b in itertools.pairwise(raw)):
            raise ValueError("the hash list is not strictly sorted: its proofs of absence are void")
        return cls(raw, MerkleTree([hash_leaf(h) for h in raw]))

    def to_file(self) -> bytes:
        """The published form: the sorted hashes concatenated."""
        return b"".join(self.hashes)

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
