"""A removal's passes over the old version's manifest, streamed: no pass holds its rows.

A removal reads the old manifest (the JSONL the log committed to by its
SHA-256) twice: once to check it and learn what the corpus pass needs (the
old commitment, each included item's SHA-256, the items whose row already
names the work), and once to write the new manifest row by row. Each pass
hashes the bytes it parses and refuses the file at the end unless they are
the committed ones, so a manifest changed between or during the passes is
refused before anything is recorded. What stays in memory is what the
removal needs per included item: its id and 32-byte hash, and two 32-byte
values per included hash for the commitments (no Python object per row).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentry.errors import InvalidInput
from consentry.evidence.commitment import Commitment
from consentry.evidence.removal import Found, exact_hit

MANIFEST = "manifest.jsonl"
_READ = 1 << 20
_HEX_BATCH = 4096  # included rows whose hashes are joined into one string


def check_manifest(folder: Path, expected_sha256: str) -> None:
    """InvalidInput unless ``folder`` holds the manifest the log committed to (read in blocks)."""
    path = folder / MANIFEST
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while block := handle.read(_READ):
                digest.update(block)
    except OSError as exc:
        raise InvalidInput(f"cannot read the old version's manifest {path}: {exc}") from exc
    if digest.hexdigest() != expected_sha256:
        raise InvalidInput(
            f"{path} is not the manifest of that dataset version (its SHA-256 differs)",
            hint="give the folder the scan wrote that version to",
        )


def manifest_rows(folder: Path, expected_sha256: str) -> Iterator[dict[str, Any]]:
    """The manifest's rows one at a time; InvalidInput at the end if its bytes were not the ones."""
    path = folder / MANIFEST
    digest = hashlib.sha256()
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"cannot read the old version's manifest {path}: {exc}") from exc
    with handle:
        for line in handle:
            digest.update(line)
            if line.strip():
                yield json.loads(line)
    if digest.hexdigest() != expected_sha256:
        raise InvalidInput(f"{path} changed while the removal read it; nothing was recorded")


class HashCollector:
    """Included rows' raw and content hashes, kept as joined hex text (no object per hash)."""

    def __init__(self) -> None:
        self._chunks: list[str] = []
        self._pending: list[str] = []

    def add(self, row: Mapping[str, Any]) -> None:
        """Keep the hashes of ``row`` when it is included."""
        if row["decision"] == "include":
            self._pending.extend(h for h in (row["sha256"], row["content_sha256"]) if h)
            if len(self._pending) >= _HEX_BATCH:
                self._chunks.append("".join(self._pending))
                self._pending = []

    def commitment(self) -> Commitment:
        """The commitment to every hash kept."""
        chunks, self._chunks = [*self._chunks, "".join(self._pending)], []
        return Commitment.of(chunks)


@dataclass
class OldManifest:
    """What the removal needs of the old manifest, gathered in one streamed pass."""

    commitment: Commitment
    included: dict[str, bytes] = field(default_factory=dict)  # item id -> its SHA-256
    named: dict[str, Found] = field(default_factory=dict)  # rows that already name the work


def read_old(
    folder: Path, expected_sha256: str, work_id: str, work_hashes: frozenset[str]
) -> OldManifest:
    """One pass over the committed manifest: its commitment and its included items."""
    check_manifest(folder, expected_sha256)
    hashes = HashCollector()
    included: dict[str, bytes] = {}
    named: dict[str, Found] = {}
    for row in manifest_rows(folder, expected_sha256):
        hashes.add(row)
        if row["decision"] != "include":
            continue
        included[row["item_id"]] = bytes.fromhex(row["sha256"])
        found = exact_hit(row, work_hashes) or scan_match(row, work_id)
        if found is not None:
            named[row["item_id"]] = found
    return OldManifest(hashes.commitment(), included, named)


def scan_match(row: Mapping[str, Any], work_id: str) -> Found | None:
    """The row's item when the scan itself matched it to the work."""
    for m in row.get("matches") or []:
        if m.get("work_id") == work_id:
            return Found(row["item_id"], m["match"], float(m["score"]), m.get("evidence") or {})
    return None
