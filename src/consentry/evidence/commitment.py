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

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from consentry.evidence.merkle import HASH_SIZE, MerkleTree, hash_leaf


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
