"""Record a completed scan as a dataset version, committed to in the evidence log.

The dataset version, its commitment (the Merkle root over the sorted hashes of
the included items, published as ``included-hashes.bin`` beside the manifest)
and the log entry that commits to both are written in one unit of work, with
the folder the outputs are in (:mod:`consentry.actions.outputs`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.outputs import remember_outputs
from consentry.actions.workspace import Workspace
from consentry.evidence import events
from consentry.evidence.commitment import Commitment
from consentry.provenance import DatasetVersion
from consentry.scan.run import ScanSummary

HASHES_FILE = "included-hashes.bin"


def included_hashes(manifest: Path) -> Commitment:
    """The commitment to every included item's raw and content SHA-256."""
    found: list[str] = []
    with manifest.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["decision"] == "include":
                found += [h for h in (row["sha256"], row["content_sha256"]) if h]
    return Commitment.of(found)


def record_dataset_version(ws: Workspace, summary: ScanSummary, out_dir: Path, at: datetime) -> str:
    """Write the hash list, record the dataset version and its log entry; returns its id."""
    manifest = out_dir / "manifest.jsonl"
    with manifest.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    commitment = included_hashes(manifest)
    tmp = out_dir / f".{HASHES_FILE}.tmp"
    tmp.write_bytes(commitment.to_file())
    tmp.replace(out_dir / HASHES_FILE)
    params = summary.params
    version = DatasetVersion(
        id=new_id("ds"),
        corpus=params.corpus,
        format=params.format,
        use=params.use,
        regime=params.regime,
        as_of=at,
        developer_id=params.developer_id,
        params_json=json.dumps(asdict(params), sort_keys=True),
        items=summary.items,
        included=summary.included,
        excluded=summary.excluded,
        manifest_sha256=digest,
        created_at=ws.now(),
    )
    entry = events.dataset_committed(version.id, digest, commitment.root.hex(), len(commitment), at)
    with ws.transaction() as registry:
        registry.add_dataset_version(version)
        record(ws, registry, entry)
        remember_outputs(registry, version.id, out_dir, digest)
    summary.dataset_root = commitment.root.hex()
    return version.id
