"""Evidence at scale: append entries to the log, checkpoint, prove; commit a big dataset version.

In one run, one process:

* append N log entries (``consent.set``, canonical JSON) through the store in
  batches into a fresh SQLite registry, sign a checkpoint over all of them,
  produce and verify an inclusion receipt, and verify the whole log;
* commit a dataset version of M random SHA-256 values (sort, de-duplicate,
  build the tree) and produce and verify a proof of absence;
* the floor: hashlib.sha256 over the same leaf bytes, and that plus the
  tree (leaf and interior hashes: what any whole-log check must compute);
* ``verify_log`` now (runs of entries checked at C speed) and as it was
  (each entry re-serialised through ``rfc8785``: :func:`verify_log_before`),
  both on the same entries, and the whole ``consentry log verify`` path
  (reading from the store included).

Times are CPU seconds of this process (``time.process_time``): on a shared
machine they are steadier than wall time. ``--hashes 0`` skips the dataset
commitment.

    .venv/bin/python bench/bench_evidence.py [--entries 1000000] [--hashes 10000000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from consentry.evidence.checkpoint import Checkpoint
from consentry.evidence.commitment import Commitment, prove_absent, verify_absent
from consentry.evidence.entry import Entry, EntryType, parse_entry
from consentry.evidence.merkle import MerkleTree, hash_leaf
from consentry.evidence.note import Signer
from consentry.evidence.receipt import Receipt
from consentry.evidence.verify import verify_log
from consentry.store import make_engine, open_registry, upgrade
from consentry.store.log import StoredEntry

BATCH = 10_000


def timed(label: str, results: dict[str, float], fn, *args):  # type: ignore[no-untyped-def]
    start = time.process_time()
    value = fn(*args)
    spent = round(time.process_time() - start, 3)
    results[label] = min(spent, results.get(label, spent))  # the best of repeated runs
    return value


def verify_log_before(stored: Iterable[StoredEntry]) -> bytes:
    """The entry checks of ``verify_log`` before this change: one entry at a time."""
    tree = MerkleTree()
    for entry in stored:
        leaf = hash_leaf(entry.body)
        assert entry.position == len(tree) and leaf == entry.leaf_hash
        parse_entry(entry.body)  # json.loads, then rfc8785 re-serialisation and compare
        tree.append(leaf)
    return tree.root()


def floor_with_tree(stored: list[StoredEntry]) -> bytes:
    """The hashing any whole-log check needs: every leaf, then every interior node."""
    return MerkleTree.from_packed(b"".join([hash_leaf(e.body) for e in stored])).root()


def entries(n: int) -> list[Entry]:
    return [
        Entry(
            EntryType.CONSENT_SET,
            {
                "party": f"p_{i % 5000:06d}",
                "subject": f"w_{i:09d}",
                "use": "ai_training",
                "state": "withheld",
                "consent_version": 1,
            },
        )
        for i in range(n)
    ]


def log_bench(n: int, results: dict[str, float]) -> dict[str, object]:
    folder = tempfile.mkdtemp(prefix="evidence-bench-")
    engine = make_engine(f"sqlite:///{folder}/log.db")
    upgrade(engine)
    batch = timed("build entries", results, entries, n)
    at = datetime.now(UTC)

    def append() -> None:
        for start in range(0, n, BATCH):
            with open_registry(engine) as registry:
                registry.append_entries(batch[start : start + BATCH], at)

    timed("append (store, batches of 10k)", results, append)
    with open_registry(engine) as registry:
        stored = timed("read back", results, lambda: list(registry.log_entries_from(0)))
    signer = Signer.generate("bench.example/log")
    tree = timed("tree of leaves", results, lambda: MerkleTree([e.leaf_hash for e in stored]))
    root = timed("root", results, tree.root)
    note = timed(
        "checkpoint (sign)", results, lambda: Checkpoint(signer.name, n, root).signed(signer)
    )
    receipt = timed(
        "prove inclusion",
        results,
        lambda: Receipt(n // 2, tuple(tree.inclusion_proof(n // 2)), note),
    )
    timed("verify receipt", results, receipt.verify, stored[n // 2].body, signer.verifier())
    for _ in range(2):  # twice, interleaved: the machine's load moves between them
        timed("floor: sha256 of every entry", results, lambda: _bodies_hashed(stored))
        timed("floor: leaves and tree", results, floor_with_tree, stored)
        report = timed("verify whole log", results, verify_log, stored, [note], signer.verifier())
        assert report.ok
        if n <= 1_000_000:
            timed("verify whole log, before", results, verify_log_before, stored)

    def from_store() -> bool:  # as ``consentry log verify`` does: streamed from the store
        with open_registry(engine) as registry:
            return verify_log(registry.log_leaves_from(0), [note], signer.verifier()).ok

    def from_store_before() -> bytes:  # as it was: entries with their times, one at a time
        with open_registry(engine) as registry:
            return verify_log_before(registry.log_entries_from(0))

    for _ in range(2):
        assert timed("read + verify from the store", results, from_store)
        if n <= 1_000_000:
            assert timed("read + verify from the store, before", results, from_store_before) == root
    return {"db_mb": round(Path(folder, "log.db").stat().st_size / 1e6, 1)}


def _bodies_hashed(stored: list[StoredEntry]) -> list[bytes]:
    return [hashlib.sha256(e.body).digest() for e in stored]


def commitment_bench(m: int, results: dict[str, float]) -> None:
    values = timed("random hashes", results, lambda: [os.urandom(32).hex() for _ in range(m)])
    commitment = timed("commit (sort, dedup, tree)", results, Commitment.of, values)
    root = timed("commitment root", results, lambda: commitment.root)
    probe = hashlib.sha256(b"not in the dataset").digest()
    proof = timed("prove absence", results, prove_absent, commitment, probe)
    timed("verify absence", results, verify_absent, probe, proof, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--hashes", type=int, default=10_000_000)
    args = parser.parse_args()
    log_results: dict[str, float] = {}
    extra = log_bench(args.entries, log_results)
    log_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    dataset_results: dict[str, float] = {}
    if args.hashes:
        commitment_bench(args.hashes, dataset_results)
    floor = log_results["floor: sha256 of every entry"]
    ratios = {
        k: round(v / floor, 1)
        for k, v in log_results.items()
        if k.startswith(("verify whole", "floor: leaves", "read + verify"))
    }
    report = {
        "entries": args.entries,
        "log_seconds": log_results,
        "log_db_mb": extra["db_mb"],
        "log_peak_rss_mb": round(log_peak),
        "log_ratio_to_sha256_floor": ratios,
        "hashes": args.hashes,
        "dataset_seconds": dataset_results,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
