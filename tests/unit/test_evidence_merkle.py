"""RFC 9162 trees and proofs against the public vectors, and tampering properties."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.evidence.merkle import (
    EMPTY_ROOT,
    ConsistencyProofError,
    InclusionProofError,
    MerkleTree,
    hash_children,
    hash_leaf,
    verify_consistency,
    verify_inclusion,
)


def _load(shared_dir: Path, name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((shared_dir / "tlog-vectors" / name).read_text())
    return loaded


def _tree(entries: list[bytes]) -> MerkleTree:
    return MerkleTree([hash_leaf(e) for e in entries])


def test_hasher_vectors(shared_dir: Path) -> None:
    for case in _load(shared_dir, "rfc6962_reference_tree.json")["hasher_vectors"]:
        if case["op"] == "empty_root":
            got = EMPTY_ROOT
        elif case["op"] == "leaf":
            got = hash_leaf(bytes.fromhex(case["input_hex"]))
        else:
            got = hash_children(bytes.fromhex(case["left_hex"]), bytes.fromhex(case["right_hex"]))
        assert got.hex() == case["want"], case["desc"]


def test_reference_tree_roots_and_proofs(shared_dir: Path) -> None:
    ref = _load(shared_dir, "rfc6962_reference_tree.json")
    tree = _tree([bytes.fromhex(x) for x in ref["leaf_inputs_hex"]])
    for size, root in ref["root_by_tree_size"].items():
        assert tree.root(int(size)).hex() == root
    for case in ref["inclusion_proofs"]:
        proof = tree.inclusion_proof(case["leaf_index"], case["tree_size"])
        assert [p.hex() for p in proof] == case["proof"]
    for case in ref["consistency_proofs"]:
        proof = tree.consistency_proof(case["size1"], case["size2"])
        assert [p.hex() for p in proof] == case["proof"]


def _b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def test_inclusion_probes_accept_exactly_the_valid_ones(shared_dir: Path) -> None:
    probes = _load(shared_dir, "rfc6962_inclusion_probes.json")["probes"]
    for probe in probes:
        proof = [_b64(p) for p in probe["proof"] or []]
        args = (probe["leafIdx"], probe["treeSize"], _b64(probe["leafHash"]), proof)
        if probe["wantErr"]:
            with pytest.raises(InclusionProofError):
                verify_inclusion(*args, _b64(probe["root"]))
        else:
            verify_inclusion(*args, _b64(probe["root"]))


def test_consistency_probes_accept_exactly_the_valid_ones(shared_dir: Path) -> None:
    probes = _load(shared_dir, "rfc6962_consistency_probes.json")["probes"]
    for probe in probes:
        proof = [_b64(p) for p in probe["proof"] or []]
        args = (probe["size1"], probe["size2"], proof, _b64(probe["root1"]), _b64(probe["root2"]))
        if probe["wantErr"]:
            with pytest.raises(ConsistencyProofError):
                verify_consistency(*args)
        else:
            verify_consistency(*args)


def test_accumulated_vectors_up_to_130_leaves(shared_dir: Path) -> None:
    vectors = _load(shared_dir, "rfc9162_accumulated_vectors.json")
    want = {v["name"]: v["want"] for v in vectors["published"] + vectors["derived"]}
    tree = _tree([bytes([i]) for i in range(130)])
    roots, inclusion, consistency = hashlib.sha256(), hashlib.sha256(), hashlib.sha256()
    for n in range(131):
        roots.update(f"{n} {tree.root(n).hex()}\n".encode())
        for m in range(n):
            path = "".join(f" {p.hex()}" for p in tree.inclusion_proof(m, n))
            inclusion.update(f"{m} {n}{path}\n".encode())
    for n in range(131):
        for m in range(1, n):
            path = "".join(f" {p.hex()}" for p in tree.consistency_proof(m, n))
            consistency.update(f"{m} {n}{path}\n".encode())
    assert roots.hexdigest() == want["rfc9162_roots"]
    assert inclusion.hexdigest() == want["rfc9162_inclusion"]
    if "rfc9162_consistency" in want:
        assert consistency.hexdigest() == want["rfc9162_consistency"]


def _flip(value: bytes, bit: int) -> bytes:
    return (int.from_bytes(value, "big") ^ (1 << bit)).to_bytes(len(value), "big")


@given(st.integers(1, 70), st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_bit_fails(
    size: int, data: st.DataObject
) -> None:
    tree = _tree([n.to_bytes(4, "big") for n in range(size)])
    index = data.draw(st.integers(0, size - 1))
    proof, root, leaf = tree.inclusion_proof(index), tree.root(), tree.leaf(index)
    verify_inclusion(index, size, leaf, proof, root)
    parts = [*proof, root, leaf]  # a bit of any proof hash, of the root or of the leaf
    target = data.draw(st.integers(0, len(parts) - 1))
    parts[target] = _flip(parts[target], data.draw(st.integers(0, 255)))
    with pytest.raises(InclusionProofError):
        verify_inclusion(index, size, parts[-1], parts[:-2], parts[-2])


def _naive_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 2.1.1 MTH, written as the recursion it is."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = 1 << ((len(leaves) - 1).bit_length() - 1)
    return hash_children(_naive_root(leaves[:k]), _naive_root(leaves[k:]))


@given(st.lists(st.integers(1, 9), min_size=1, max_size=12))
def test_a_tree_grown_by_appends_gives_the_roots_of_the_definition(batches: list[int]) -> None:
    tree, leaves = MerkleTree(), list[bytes]()
    for batch in batches:  # kept subtrees must be extended, never stale, between queries
        for _ in range(batch):
            leaves.append(hash_leaf(len(leaves).to_bytes(4, "big")))
            tree.append(leaves[-1])
        assert tree.root() == _naive_root(leaves)
        old = len(leaves) - batch
        assert tree.root(old) == _naive_root(leaves[:old])
        if old:
            proof = tree.consistency_proof(old)
            verify_consistency(old, len(leaves), proof, tree.root(old), tree.root())


@given(st.integers(1, 70), st.data())
def test_every_consistency_proof_verifies_and_tampering_fails(
    size: int, data: st.DataObject
) -> None:
    tree = _tree([n.to_bytes(4, "big") for n in range(size)])
    old = data.draw(st.integers(1, size))
    proof = tree.consistency_proof(old, size)
    verify_consistency(old, size, proof, tree.root(old), tree.root(size))
    leaves = [tree.leaf(i) for i in range(size)]
    leaves[old - 1] = hash_leaf(b"rewritten history")
    forked = MerkleTree(leaves)
    if old < size:
        with pytest.raises(ConsistencyProofError):
            verify_consistency(old, size, proof, forked.root(old), tree.root(size))
