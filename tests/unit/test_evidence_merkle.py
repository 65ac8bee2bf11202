"""RFC 9162 trees and proofs against the public vectors, and tampering properties."""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

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


def _load(shared_dir: Path, name: str) -> dict:  # type: ignore[type-arg]
    return json.loads((shared_dir / "tlog-vectors" / name).read_text())


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


@given(st.integers(1, 70), st.data())
def test_every_inclusion_proof_verifies_and_any_flipped_bit_fails(
    size: int, data: st.DataObject
) -> None:
    tree = _tree([n.to_bytes(4, "big") for n in range(size)])
    index = data.draw(st.integers(0, size - 1))
    proof, root = tree.inclusion_proof(index), tree.root()
    verify_inclusion(index, size, tree.leaves[index], proof, root)
    target = data.draw(st.integers(0, len(proof)))  # len(proof) means: flip the root
    bit = data.draw(st.integers(0, 255))
    flipped = (int.from_bytes([*proof, root][target], "big") ^ (1 << bit)).to_bytes(32, "big")
    bad_proof = [flipped if i == target else p for i, p in enumerate(proof)]
    with pytest.raises(InclusionProofError):
        verify_inclusion(
            index, size, tree.leaves[index], bad_proof, flipped if target == len(proof) else root
        )


@given(st.integers(1, 70), st.data())
def test_every_consistency_proof_verifies_and_tampering_fails(
    size: int, data: st.DataObject
) -> None:
    tree = _tree([n.to_bytes(4, "big") for n in range(size)])
    old = data.draw(st.integers(1, size))
    proof = tree.consistency_proof(old, size)
    verify_consistency(old, size, proof, tree.root(old), tree.root(size))
    forked = MerkleTree(list(tree.leaves))
    forked.leaves[old - 1] = hash_leaf(b"rewritten history")
    if old < size:
        with pytest.raises(ConsistencyProofError):
            verify_consistency(old, size, proof, forked.root(old), tree.root(size))
