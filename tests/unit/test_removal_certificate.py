"""The removal certificate's pure core: built from parts, verified offline, any edit refused."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from consentry.evidence import events
from consentry.evidence.certificate import (
    CANNOT_PROVE,
    ProvenEntry,
    absence_json,
    certificate,
    claims_digest,
    dumps,
    proven_absent,
)
from consentry.evidence.certificate_verify import schema, verify_certificate
from consentry.evidence.checkpoint import Checkpoint
from consentry.evidence.commitment import Commitment
from consentry.evidence.entry import Entry, EntryType
from consentry.evidence.events_removal import removal_completed, removal_requested
from consentry.evidence.merkle import MerkleTree
from consentry.evidence.note import Signer, Verifier
from consentry.evidence.receipt import Receipt

AT = datetime(2026, 1, 2, tzinfo=UTC)
SIGNER = Signer.generate("rights.example.org/log")
KEY = SIGNER.verifier()


def _h(label: str) -> str:
    return hashlib.sha256(label.encode()).hexdigest()


def build(kept: int = 40, removed: int = 2) -> tuple[str, Commitment]:
    """A whole certificate from the pure parts: the same steps the removal action takes."""
    work = {"id": "w_1", "sha256": _h("file"), "content_sha256": _h("content")}
    items: list[dict[str, Any]] = [
        {"item_id": f"i{n}", "sha256": _h(f"item{n}"), "content_sha256": _h(f"c{n}"),
         "norm": "text-v1", "match": "excerpt", "score": 0.93}
        for n in range(removed)
    ]  # fmt: skip
    kept_hashes = [_h(f"kept{n}") for n in range(kept)]
    old = Commitment.of(
        kept_hashes
        + [h for i in items for h in (i["sha256"], i["content_sha256"])]
        + [work["sha256"]]
    )
    new = Commitment.of(kept_hashes)
    claims: dict[str, Any] = {
        "removal": "rm_1",
        "work": {**work, "kind": "text", "norm": "text-v1",
                 "near": [{"scheme": "text-shingle-v1", "sha256": _h("near"), "bytes": 12}]},
        "old": {"dataset": "ds_old", "root": old.root.hex(), "size": len(old)},
        "new": {"dataset": "ds_new", "root": new.root.hex(), "size": len(new),
                "manifest_sha256": _h("manifest")},
        "removed": {"count": len(items), "items": items},
        "proven_absent": proven_absent((work["sha256"], work["content_sha256"]), items),
        "models": [{"model_version": "mv_1", "name": "nw", "version": "1", "dataset": "ds_old",
                    "used": "cleared", "flag": "retrain_or_unlearn", "why": "trained on ds_old"}],
        "requested_at": AT.isoformat(),
        "completed_at": AT.isoformat(),
        "cannot_prove": list(CANNOT_PROVE),
    }  # fmt: skip
    filler = [Entry(EntryType.LICENCE_REVOKED, {"licence": f"l{n}"}) for n in range(5)]
    four = [
        events.dataset_committed("ds_old", _h("old manifest"), old.root.hex(), len(old), AT),
        removal_requested(
            "rm_1", "w_1", "ds_old", work["sha256"], work["content_sha256"], AT.isoformat()
        ),
        events.dataset_committed("ds_new", _h("manifest"), new.root.hex(), len(new), AT),
        removal_completed(
            "rm_1", "w_1", "ds_old", "ds_new", len(items), claims_digest(claims), AT.isoformat()
        ),
    ]  # fmt: skip
    log = [filler[0], four[0], *filler[1:3], four[1], four[2], four[3], *filler[3:]]
    tree = MerkleTree([e.leaf_hash() for e in log])
    note = Checkpoint(SIGNER.name, len(tree), tree.root()).signed(SIGNER)
    roles = ("old_version", "requested", "new_version", "completed")
    proven = [
        ProvenEntry(role, log.index(e), e.canonical(),
                    Receipt(log.index(e), tuple(tree.inclusion_proof(log.index(e))), note).text())
        for role, e in zip(roles, four, strict=True)
    ]  # fmt: skip
    cert = certificate(
        claims, origin=SIGNER.name, verifier_key=KEY.text(), checkpoint=note, entries=proven,
        absence=absence_json(new, claims["proven_absent"]),
    )  # fmt: skip
    return dumps(cert), new


TEXT, NEW = build()


def _rejects(data: bytes, key: Verifier = KEY) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return True  # verify_file refuses a certificate that is not UTF-8
    return not verify_certificate(text, key, hash_list=NEW.to_file()).ok


def test_a_certificate_built_from_its_parts_verifies_and_follows_its_schema() -> None:
    Draft202012Validator(schema()).validate(json.loads(TEXT))
    report = verify_certificate(TEXT, KEY, work_hashes=[_h("file")], hash_list=NEW.to_file())
    assert report.ok, report.failures
    assert len(report.proven) == 5
    assert any("nw 1" in n for n in report.not_proven)


def test_without_a_key_it_says_who_signed_is_not_proven() -> None:
    report = verify_certificate(TEXT)
    assert report.ok
    assert any("no --key was given" in n for n in report.not_proven)


def test_edge_cases_empty_new_version_and_nothing_removed() -> None:
    for kept, removed in ((0, 2), (3, 0), (1, 1)):
        text, new = build(kept, removed)
        assert verify_certificate(text, KEY, hash_list=new.to_file()).ok


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_single_byte_edit_is_refused(data: st.DataObject) -> None:
    raw = TEXT.encode("utf-8")
    at = data.draw(st.integers(0, len(raw) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda b: b != raw[at]))
    edited = raw[:at] + bytes([value]) + raw[at + 1 :]
    assert _rejects(edited)


def _edit(path: list[Any], value: Any) -> str:
    cert = json.loads(TEXT)
    node = cert
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return dumps(cert)  # in the exact form: only the value differs


def _other_hash() -> str:
    return _h("something else")


@pytest.mark.parametrize(
    "path",
    [
        ["claims", "new", "root"],
        ["claims", "old", "root"],
        ["claims", "work", "sha256"],
        ["claims", "removed", "items", 0, "sha256"],
        ["claims", "proven_absent", 0],
        ["absence", 0, "hash"],
        ["absence", 0, "below", "value"],
        ["absence", 1, "above", "proof", 0],
    ],
)
def test_a_changed_hash_in_an_exact_form_file_is_refused(path: list[Any]) -> None:
    edited = _edit(path, _other_hash())
    assert not verify_certificate(edited, KEY).ok


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["claims", "removed", "count"], 1),
        (["claims", "models"], []),
        (["claims", "cannot_prove"], ["nothing"]),
        (["log", "entries", 1, "position"], 0),
        (["log", "entries", 0, "role"], "requested"),
        (["absence", 0, "below"], None),
        (["absence", 0, "above", "index"], 7),
    ],
)
def test_a_changed_claim_entry_or_proof_is_refused(path: list[Any], value: Any) -> None:
    assert not verify_certificate(_edit(path, value), KEY).ok


def test_a_changed_entry_or_a_resigned_checkpoint_is_refused() -> None:
    cert = json.loads(TEXT)
    entry = json.loads(cert["log"]["entries"][3]["entry"])
    entry["removed"] = 0
    cert["log"]["entries"][3]["entry"] = json.dumps(entry, separators=(",", ":"), sort_keys=True)
    assert not verify_certificate(dumps(cert), KEY).ok
    forger = Signer.generate(SIGNER.name)
    forged = verify_certificate(TEXT, forger.verifier())
    assert not forged.ok and any("another log key" in f for f in forged.failures)


def test_a_hash_list_out_of_order_or_of_another_version_is_refused() -> None:
    hashes = NEW.to_file()
    swapped = hashes[32:64] + hashes[:32] + hashes[64:]
    assert not verify_certificate(TEXT, KEY, hash_list=swapped).ok
    assert not verify_certificate(TEXT, KEY, hash_list=hashes[32:]).ok


def test_reformatted_json_is_refused_as_edited() -> None:
    report = verify_certificate(json.dumps(json.loads(TEXT)), KEY)
    assert any("not in the form it was issued in" in f for f in report.failures)


def test_the_html_page_escapes_every_value() -> None:
    from consentry.actions.certificate_html import render_html

    cert = json.loads(TEXT)
    cert["claims"]["removed"]["items"][0]["item_id"] = "<script>alert(1)</script>"
    cert["claims"]["models"][0]["name"] = 'nw" onmouseover="x'
    page = render_html(cert)
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'nw" onmouseover' not in page
    assert "What this certificate cannot prove" in page and CANNOT_PROVE[0][:40] in page
