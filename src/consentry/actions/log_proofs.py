"""Consistency proofs between two sizes of the evidence log (RFC 9162 2.1.4)."""

from __future__ import annotations

from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.evidence.merkle import MerkleTree


def consistency(ws: Workspace, old_size: int, new_size: int) -> list[bytes]:
    """The proof that the log at ``new_size`` extends the log at ``old_size``."""
    with ws.transaction() as registry:
        tree = MerkleTree([e.leaf_hash for e in registry.log_entries_from(0)])
    if not 0 < old_size <= new_size <= len(tree):
        raise InvalidInput(
            f"sizes must satisfy 0 < old ({old_size}) <= new ({new_size}) <= {len(tree)}"
        )
    return tree.consistency_proof(old_size, new_size)
