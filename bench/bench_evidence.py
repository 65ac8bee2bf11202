"""Evidence at scale: append entries to the log, checkpoint, prove; commit a big dataset version.

In one run, one process:

* append N log entries (``consent.set``, canonical JSON) through the store in
  batches into a fresh SQLite registry, sign a checkpoint over all of them,
  produce and verify an inclusion receipt, and verify the whole log;
* commit a dataset version of M random SHA-256 values (sort, de-duplicate,
  build the tree) and produce and verify a proof of absence;
* the floor: hashlib.sha256 over the same leaf bytes.

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
from datetime import UTC, datetime
from pathlib import Path

from consentry.evidence.checkpoint import Checkpoint
from consentry.evidence.commitment import Commitment, prove_absent, verify_absent
from consentry.evidence.entry import Entry, EntryType
from consentry.evidence.merkle import MerkleTree
from consentry.evidence.note import Signer
from consentry.evidence.receipt import Receipt
from consentry.evidence.verify import verify_log
from consentry.store import make_engine, open_registry, upgrade

BATCH = 10_000


def timed(label: str, results: dict[str, float], fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args)
    results[label] = round(time.perf_counter() - start, 2)
    return value


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
    report = timed("verify whole log", results, verify_log, stored, [note], signer.verifier())
    assert report.ok
    floor = timed(
        "floor: sha256 of every entry",
        results,
        lambda: [hashlib.sha256(e.body).digest() for e in stored],
    )
    del floor
    return {"db_mb": round(Path(folder, "log.db").stat().st_size / 1e6, 1)}


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
    commitment_bench(args.hashes, dataset_results)
    report = {
        "entries": args.entries,
        "log_seconds": log_results,
        "log_db_mb": extra["db_mb"],
        "log_peak_rss_mb": round(log_peak),
        "hashes": args.hashes,
        "dataset_seconds": dataset_results,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
