"""Removal at scale: take a work out of a dataset version of ~1,000,000 included hashes.

One process, generated data (no corpus is read: re-reading and re-matching the
included items is the scan's cost, measured in ``bench_scan.py``):

* a manifest of N included items (two hashes each: ``sha256`` and
  ``content_sha256``), K of which hold the work; write it as a scan would;
* the removal's own steps, streamed as ``consentry remove`` runs them: check
  the manifest's digest, one pass for the old commitment (to check the logged
  root) and the included items' index, then one pass writing the new rows
  (JSONL + Parquet) with the new commitment, and its ``included-hashes.bin``;
* the certificate: a log of L entries holding the four the certificate
  proves, a signed checkpoint, receipts, proofs of absence, the JSON;
* the creator's check: ``verify_certificate`` with the key, the work's
  hashes and the published 1M-hash list (sorted order and root re-checked).

Peak RSS is the process's high-water mark; the generated rows are written
as they are made, so it is the removal's own.

    .venv/bin/python bench/bench_removal.py [--items 500000] [--removed 5] [--log 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from consentry.actions.remove_manifest import check_manifest, manifest_rows, read_old
from consentry.actions.remove_outputs import Selection, new_rows, summary_of, write_outputs
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
from consentry.evidence.certificate_verify import verify_certificate
from consentry.evidence.checkpoint import Checkpoint
from consentry.evidence.entry import Entry, EntryType
from consentry.evidence.events_removal import removal_completed, removal_requested
from consentry.evidence.merkle import MerkleTree
from consentry.evidence.note import Signer
from consentry.evidence.receipt import Receipt
from consentry.evidence.removal import Found
from consentry.scan.manifest import ManifestWriter

T = TypeVar("T")
PARAMS = json.dumps({
    "corpus": "/bench/corpus", "format": "jsonl", "developer_id": "p_dev",
    "use": "ai_training", "regime": "consent", "as_of": "2026-11-25",
})  # fmt: skip
AT = datetime(2026, 11, 25, tzinfo=UTC)


def timed(label: str, results: dict[str, Any], fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn``; record its wall and CPU seconds (the machine may be shared)."""
    start, cpu = time.perf_counter(), time.process_time()
    value = fn(*args)
    wall = time.perf_counter() - start
    results[label] = {"wall": round(wall, 3), "cpu": round(time.process_time() - cpu, 3)}
    return value


def rows(n: int, removed: int, work: dict[str, str]) -> Iterator[dict[str, Any]]:
    """N included manifest rows; the first ``removed`` hold the work (the first one exactly)."""
    for i in range(n):
        raw, content = os.urandom(32).hex(), os.urandom(32).hex()
        if i == 0:
            raw, content = work["sha256"], work["content_sha256"]
        yield {
            "item_id": f"shard-{i // 10000:04d}.jsonl#{i}", "source": None, "kind": "text",
            "sha256": raw, "content_sha256": content, "norm": "text-v1", "decision": "include",
            "reasons": ["licensed:lic_1"], "work_id": None, "match": None, "score": None,
            "licence_id": "lic_1", "matches": [], "signals": [], "regime": "consent",
        }  # fmt: skip


def write_manifest(folder: Path, manifest_rows: Iterable[dict[str, Any]]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    with ManifestWriter(folder) as writer:
        for row in manifest_rows:
            writer.write(row)
        writer.commit()
    return hashlib.sha256((folder / "manifest.jsonl").read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=500_000)
    parser.add_argument("--removed", type=int, default=5)
    parser.add_argument("--log", type=int, default=100_000)
    args = parser.parse_args()
    t: dict[str, Any] = {}
    work = {"sha256": os.urandom(32).hex(), "content_sha256": os.urandom(32).hex()}
    with tempfile.TemporaryDirectory() as tmp:
        old_rows = rows(args.items, args.removed, work)
        digest = timed(
            "write old manifest (scan's cost)", t, write_manifest, Path(tmp) / "old", old_rows
        )
        del old_rows
        start_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        old_dir, new_dir = Path(tmp) / "old", Path(tmp) / "new"
        timed("check the manifest's digest (streamed)", t, check_manifest, old_dir, digest)
        hashes = frozenset(work.values())
        loaded = timed(
            "old commitment + included items' index (one pass)",
            t, read_old, old_dir, digest, "w_1", hashes,
        )  # fmt: skip
        old = loaded.commitment
        found = {i: Found(i, "excerpt", 0.9, {}) for i in islice(loaded.included, args.removed)}
        selection = Selection(found=found)  # the corpus pass is the scan's cost (bench_scan.py)
        del loaded
        new_dir.mkdir()
        written = timed(
            "write new manifest (JSONL + Parquet) + new commitment + hash list (one pass)",
            t, write_outputs, None, new_dir,
            new_rows(manifest_rows(old_dir, digest), found, "rm_1", "w_1"),
            selection, summary_of(PARAMS), "w_1",
        )  # fmt: skip
        new = written.commitment
        new_digest = hashlib.sha256((new_dir / "manifest.jsonl").read_bytes()).hexdigest()
        items = [
            {k: r[k] for k in ("item_id", "sha256", "content_sha256", "norm")}
            | {"match": "excerpt", "score": 0.9}
            for r in written.removed
        ]
        claims: dict[str, Any] = {
            "removal": "rm_1",
            "work": {"id": "w_1", "kind": "text", "norm": "text-v1", "near": [], **work},
            "old": {"dataset": "ds_old", "root": old.root.hex(), "size": len(old)},
            "new": {"dataset": "ds_new", "root": new.root.hex(), "size": len(new),
                    "manifest_sha256": new_digest},
            "removed": {"count": len(items), "items": items},
            "proven_absent": proven_absent(work.values(), items),
            "models": [], "requested_at": AT.isoformat(), "completed_at": AT.isoformat(),
            "cannot_prove": list(CANNOT_PROVE),
        }  # fmt: skip
        signer = Signer.generate("bench.example/log")
        four = [
            events.dataset_committed("ds_old", digest, old.root.hex(), len(old), AT),
            removal_requested("rm_1", "w_1", "ds_old", work["sha256"], work["content_sha256"],
                              AT.isoformat()),
            events.dataset_committed("ds_new", new_digest, new.root.hex(), len(new), AT),
            removal_completed("rm_1", "w_1", "ds_old", "ds_new", len(items),
                              claims_digest(claims), AT.isoformat()),
        ]  # fmt: skip
        filler = [
            Entry(EntryType.LICENCE_REVOKED, {"licence": f"l{n}"}).leaf_hash()
            for n in range(args.log - 4)
        ]
        leaves = filler + [e.leaf_hash() for e in four]

        def issue() -> str:
            tree = MerkleTree(leaves)
            note = Checkpoint(signer.name, len(tree), tree.root()).signed(signer)
            roles = ("old_version", "requested", "new_version", "completed")
            proven = []
            for i, (role, e) in enumerate(zip(roles, four, strict=True)):
                at = len(filler) + i
                receipt = Receipt(at, tuple(tree.inclusion_proof(at)), note).text()
                proven.append(ProvenEntry(role, at, e.canonical(), receipt))
            return dumps(certificate(
                claims, origin=signer.name, verifier_key=signer.verifier().text(), checkpoint=note,
                entries=proven, absence=absence_json(new, claims["proven_absent"]),
            ))  # fmt: skip

        text = timed(
            f"certificate (tree of {args.log:,} log entries, receipts, absence proofs)", t, issue
        )
        hashes = new.to_file()
        report = timed(
            "verify: certificate only", t, verify_certificate, text, signer.verifier(),
        )  # fmt: skip
        assert report.ok, report.failures
        report = timed(
            "verify: with --work hashes and --hashes (the published list)", t,
            lambda: verify_certificate(
                text, signer.verifier(), work_hashes=list(work.values()), hash_list=hashes
            ),
        )  # fmt: skip
        assert report.ok, report.failures
    out = {
        "included_items": args.items,
        "old_hashes": len(old),
        "new_hashes": len(new),
        "removed_items": len(items),
        "proven_absent": len(claims["proven_absent"]),
        "certificate_bytes": len(text.encode()),
        "hash_list_bytes": len(hashes),
        "seconds": t,
        "peak_rss_mb_before_removal": round(start_rss),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
