"""Dataset commitments: inclusion and absence proofs over the sorted hash list."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.evidence.commitment import (
    AbsenceProof,
    Commitment,
    Neighbour,
    prove_absent,
    verify_absent,
)
from consentry.evidence.merkle import ProofError, hash_leaf, verify_inclusion

HASHES = st.lists(st.binary(min_size=32, max_size=32), max_size=60, unique=True)


def _hex(values: list[bytes]) -> list[str]:
    return [v.hex() for v in values]


@given(HASHES, st.binary(min_size=32, max_size=32))
def test_absent_hashes_are_proven_absent_and_present_ones_cannot_be(
    values: list[bytes], probe: bytes
) -> None:
    commitment = Commitment.of(_hex(values) * 2)  # repeats do not count
    assert list(commitment.hashes) == sorted(values)
    if probe in values:
        with pytest.raises(ValueError, match="cannot be proven absent"):
            prove_absent(commitment, probe)
        index = commitment.hashes.index(probe)
        proof = commitment.tree.inclusion_proof(index)
        verify_inclusion(index, len(commitment), hash_leaf(probe), proof, commitment.root)
        return
    proof = prove_absent(commitment, probe)
    verify_absent(probe, proof, commitment.root)


@given(HASHES.filter(lambda v: len(v) >= 3), st.data())
def test_a_lie_about_absence_is_caught(values: list[bytes], data: st.DataObject) -> None:
    commitment = Commitment.of(_hex(values))
    present = data.draw(st.sampled_from(values))
    at = commitment.hashes.index(present)

    def leaf(index: int) -> Neighbour | None:
        if not 0 <= index < len(commitment):
            return None
        proof = tuple(commitment.tree.inclusion_proof(index))
        return Neighbour(index, commitment.hashes[index], proof)

    # Claim a present hash is absent by skipping over it: real, proven leaves, not adjacent.
    lie = AbsenceProof(len(commitment), leaf(at - 1), leaf(at + 1))
    with pytest.raises(ProofError):
        verify_absent(present, lie, commitment.root)


def test_published_lists_must_be_sorted_whole_hashes() -> None:
    values = [hashlib.sha256(str(n).encode()).digest() for n in range(5)]
    good = Commitment.of(_hex(values))
    assert Commitment.from_file(good.to_file()).root == good.root
    with pytest.raises(ValueError, match="not strictly sorted"):
        Commitment.from_file(b"".join(reversed(good.hashes)))
    with pytest.raises(ValueError, match="whole number"):
        Commitment.from_file(good.to_file()[:-1])


def test_the_empty_dataset() -> None:
    empty = Commitment.of([])
    probe = hashlib.sha256(b"x").digest()
    verify_absent(probe, prove_absent(empty, probe), empty.root)


@given(
    st.lists(
        st.sampled_from([b"\x00" * 32, b"\x00" * 31 + b"\x01", b"\x01" + b"\x00" * 31])
        | st.binary(min_size=32, max_size=32),
        max_size=8,
    )
)
def test_the_packed_order_check_is_bytewise_strict_order(hashes: list[bytes]) -> None:
    from consentry.evidence.commitment import PackedHashes

    packed = PackedHashes(b"".join(hashes))
    assert packed.strictly_sorted() == all(a < b for a, b in itertools.pairwise(hashes))
    assert list(packed) == hashes and packed[-1:] == hashes[-1:]


def test_commitment_inputs_must_be_whole_hex_hashes_in_any_case_and_order() -> None:
    a, b = hashlib.sha256(b"a").hexdigest(), hashlib.sha256(b"b").hexdigest()
    assert Commitment.of([b, a.upper(), a]).to_file() == b"".join(
        sorted({bytes.fromhex(a), bytes.fromhex(b)})
    )
    for bad in ([a[:-2] + " 0"], [a[:-1]], [a + "00"], [a[:-1] + "g"]):
        with pytest.raises(ValueError, match="SHA-256 values only"):
            Commitment.of(bad)
    assert len(Commitment.of([])) == 0
