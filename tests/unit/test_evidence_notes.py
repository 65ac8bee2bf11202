"""C2SP signed notes and checkpoints against the public vectors."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.evidence.checkpoint import Checkpoint, verify_checkpoint
from consentry.evidence.merkle import InclusionProofError, MerkleTree, hash_leaf
from consentry.evidence.note import NoteError, Signer, Verifier, open_note, sign
from consentry.evidence.receipt import Receipt


def _vectors(shared_dir: Path) -> dict[str, Any]:
    path = shared_dir / "tlog-vectors/signed_note_vectors.json"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def test_verifier_keys_parse_or_are_rejected(shared_dir: Path) -> None:
    v = _vectors(shared_dir)
    for vkey in v["vkeys_valid"]:
        assert Verifier.parse(vkey).text() == vkey
    for bad in v["vkeys_invalid"]:
        with pytest.raises(NoteError):
            Verifier.parse(bad["vkey"])
    for vkey in v["vkeys_valid"]:
        for cut in range(1, len(vkey)):
            with pytest.raises(NoteError):
                Verifier.parse(vkey[:cut])


def test_signer_keys_derive_their_verifier_keys(shared_dir: Path) -> None:
    for pair in _vectors(shared_dir)["key_pairs"]:
        signer = Signer.parse(pair["skey"])
        assert signer.verifier().text() == pair["vkey"]
        assert signer.text() == pair["skey"]


def test_notes_open_as_the_vectors_say(shared_dir: Path) -> None:
    notes = {n["id"]: n for n in _vectors(shared_dir)["notes"]}
    two = notes["go-note-two-sigs"]
    for case in two["cases"]:
        verifiers = [Verifier.parse(k) for k in case["verifiers"]]
        if case["want"] == "ok":
            opened = open_note(two["note"], verifiers)
            assert list(opened.verified) == case["verified"]
            assert opened.text == two["text"]
        else:
            with pytest.raises(NoteError, match="no verifiable"):
                open_note(two["note"], verifiers)
    bad = notes["go-note-bad-sig"]
    with pytest.raises(NoteError, match="invalid signature"):
        open_note(bad["note"], [Verifier.parse(k) for k in bad["verifiers"]])
    example = notes["c2sp-example"]
    assert open_note(example["note"], [Verifier.parse(k) for k in example["verifiers"]])
    signing = notes["go-note-sign-deterministic"]
    assert sign(signing["text"], Signer.parse(signing["skey"])) == signing["want_signed_note"]


def test_malformed_notes_are_rejected(shared_dir: Path) -> None:
    malformed = _vectors(shared_dir)["malformed_notes"]
    verifiers = [Verifier.parse(k) for k in malformed["verifiers"]]
    for case in malformed["notes"]:
        note = bytes.fromhex(case["note_hex"]) if "note_hex" in case else case["note"]
        with pytest.raises(NoteError):
            open_note(note, verifiers)


def test_real_checkpoints_verify_and_a_changed_size_fails(shared_dir: Path) -> None:
    cases = {c["id"]: c for c in _vectors(shared_dir)["checkpoints"]}
    sumdb = cases["sumdb-real"]
    log_key = Verifier.parse(sumdb["log_vkey"])
    verified = verify_checkpoint(sumdb["note"], log_key)
    assert verified.checkpoint.origin == sumdb["origin"]
    assert verified.checkpoint.size == sumdb["size"]
    assert verified.checkpoint.text().split("\n")[2] == sumdb["root_base64"]
    lines = sumdb["note"].split("\n")
    lines[1] = str(int(lines[1]) + 1)
    with pytest.raises(NoteError, match="invalid signature"):
        verify_checkpoint("\n".join(lines), log_key)
    extra = cases["sumdb-real-plus-extra-ed25519-sigs"]
    opened = open_note(extra["note"], [Verifier.parse(k) for k in extra["vkeys"]])
    assert sorted(opened.verified) == sorted(k.split("+")[0] for k in extra["vkeys"])
    ct = cases["ct-staging-real-with-witness-cosignature"]
    ct_log = Verifier.parse(ct["log_vkey"])
    verified = verify_checkpoint(ct["note"], ct_log)
    assert verified.note.verified == (ct_log.name,)
    assert len(verified.note.unverified) >= 3  # witnesses and the RFC 6962 signature: ignored


@given(st.integers(0, 2**40), st.binary(min_size=32, max_size=32))
def test_signed_checkpoints_round_trip_and_tampering_fails(size: int, root: bytes) -> None:
    signer = Signer.generate("consentry.test/log")
    note = Checkpoint("consentry.test/log", size, root).signed(signer)
    verified = verify_checkpoint(note, signer.verifier())
    assert (verified.checkpoint.size, verified.checkpoint.root) == (size, root)
    tampered = note.replace(f"\n{size}\n", f"\n{size + 1}\n", 1)
    with pytest.raises(NoteError):
        verify_checkpoint(tampered, signer.verifier())
    with pytest.raises(NoteError):
        verify_checkpoint(note, Signer.generate("consentry.test/log").verifier())


def test_strict_checkpoint_parsing_rejects_every_bad_body(shared_dir: Path) -> None:
    for case in _vectors(shared_dir)["checkpoint_text_parse"]["cases"]:
        assert case["strict"].startswith("reject")
        with pytest.raises(NoteError):
            Checkpoint.parse(case["text"])


def test_tlog_proof_serialisation_vectors(shared_dir: Path) -> None:
    vectors = json.loads((shared_dir / "tlog-vectors/tlog_proof_vectors.json").read_text())
    for case in vectors["marshal"]:
        extra = case["extra_utf8"].encode() if case.get("extra_utf8") else None
        proof = tuple(base64.b64decode(h) for h in case["hashes_b64"])
        receipt = Receipt(case["index"], proof, case["checkpoint"], extra)
        assert receipt.text() == case["want"]
        assert Receipt.parse(case["want"]) == receipt
    for case in vectors["unmarshal_must_fail"]:
        text = case.get("text") or "c2sp.org/tlog-proof@v1\nindex 0\n" + "a" * 66560 + "\n"
        with pytest.raises(NoteError):
            Receipt.parse(text)


def test_a_receipt_verifies_offline_and_fails_for_another_entry() -> None:
    signer = Signer.generate("consentry.test/log")
    entries = [f"entry {n}".encode() for n in range(11)]
    tree = MerkleTree([hash_leaf(e) for e in entries])
    note = Checkpoint("consentry.test/log", len(tree), tree.root()).signed(signer)
    receipt = Receipt(7, tuple(tree.inclusion_proof(7)), note)
    again = Receipt.parse(receipt.text())
    assert again.verify(entries[7], signer.verifier()) == 11
    with pytest.raises(InclusionProofError):
        again.verify(entries[6], signer.verifier())


@pytest.mark.parametrize(
    "note",
    [
        b"",
        b"\xff\xfe not utf-8\n\n\xe2\x80\x94 a.example/log AAAA\n",
        "x" * (2 * 1024 * 1024),  # enormous: refused before it is scanned
        "text\n\n" + "\u2014 a.example/log AAAAAAAA\n" * 101,  # too many signatures
        "text\x07\n\n\u2014 a.example/log AAAAAAAA\n",  # a control character
    ],
)
def test_hostile_notes_are_refused_with_a_note_error(note: str | bytes) -> None:
    with pytest.raises(NoteError):
        open_note(note, [Signer.generate("a.example/log").verifier()])


@pytest.mark.parametrize("size", ["\u00b2", "\u0663", "01", "-1", "1 ", str(2**64)])
def test_checkpoint_sizes_are_plain_ascii_decimals(size: str) -> None:
    root = base64.b64encode(bytes(32)).decode()
    with pytest.raises(NoteError):
        Checkpoint.parse(f"a.example/log\n{size}\n{root}\n")


@pytest.mark.parametrize(
    "head",
    [
        "index \u0663",
        f"index {2**64}",
        "index 1\n" + f"{base64.b64encode(bytes(32)).decode()}\n" * 65,
    ],
)
def test_receipts_larger_than_any_log_are_refused(head: str) -> None:
    with pytest.raises(NoteError):
        Receipt.parse(f"c2sp.org/tlog-proof@v1\n{head}\n\ncheckpoint\n")
