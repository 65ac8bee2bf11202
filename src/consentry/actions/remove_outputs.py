"""The files of a removal: find the work in the old version's items, write the new version.

Reads the old version's manifest and its corpus (which must be unchanged since
the scan: every included item's bytes must still have the manifest's hash),
decides which included items hold the work (exact hashes, the scan's own
matches, and the matching layer run again now), and writes the new version's
outputs the way a scan does: ``cleared/`` in the corpus's own format,
``manifest.jsonl`` + ``manifest.parquet``, ``included-hashes.bin`` and
``summary.json``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentry.actions.datasets import HASHES_FILE
from consentry.corpus.item import CorpusReader, Item, Shard
from consentry.errors import InvalidInput, UnreadableContent
from consentry.evidence.commitment import Commitment
from consentry.evidence.removal import Found, exact_hit, removed_row
from consentry.matching.works_index import WorksIndex
from consentry.scan.facts import search_content
from consentry.scan.manifest import ManifestWriter
from consentry.scan.run import TOP, ScanParams, ScanSummary, write_summary

MANIFEST = "manifest.jsonl"


def read_manifest(folder: Path, expected_sha256: str) -> list[dict[str, Any]]:
    """The old version's manifest rows; InvalidInput unless it is the one the log committed to."""
    path = folder / MANIFEST
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read the old version's manifest {path}: {exc}") from exc
    if hashlib.sha256(data).hexdigest() != expected_sha256:
        raise InvalidInput(
            f"{path} is not the manifest of that dataset version (its SHA-256 differs)",
            hint="give the folder the scan wrote that version to",
        )
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]


@dataclass
class Selection:
    """Which included items hold the work, and the positions kept in each shard."""

    found: dict[str, Found] = field(default_factory=dict)
    keep: list[tuple[Shard, set[int]]] = field(default_factory=list)


def select_items(
    reader: CorpusReader,
    rows: list[dict[str, Any]],
    work_id: str,
    work_hashes: frozenset[str],
    index: WorksIndex,
) -> Selection:
    """Read the corpus once; find every included item holding the work."""
    by_id = {r["item_id"]: r for r in rows}
    included = {r["item_id"] for r in rows if r["decision"] == "include"}
    selection, seen = Selection(), 0
    for shard in reader.shards():
        keep: set[int] = set()
        for item, row in _included_items(reader, shard, by_id):
            seen += 1
            found = exact_hit(row, work_hashes) or _scan_match(row, work_id)
            found = found or _near_match(item, index, work_id)
            if found is None:
                keep.add(item.position)
            else:
                selection.found[item.item_id] = found
        selection.keep.append((shard, keep))
    if seen != len(included):
        raise InvalidInput(
            f"the corpus now holds {seen} of the version's {len(included)} included items",
            hint="a removal re-reads the scanned corpus; restore it as it was scanned",
        )
    return selection


def _included_items(
    reader: CorpusReader, shard: Shard, by_id: Mapping[str, dict[str, Any]]
) -> Iterator[tuple[Item, dict[str, Any]]]:
    for item in reader.items(shard):
        row = by_id.get(item.item_id)
        if row is None or row["decision"] != "include":
            continue
        if hashlib.sha256(item.data).hexdigest() != row["sha256"]:
            raise InvalidInput(
                f"item {item.item_id} changed since the scan (its SHA-256 differs)",
                hint="a removal re-reads the scanned corpus; restore it as it was scanned",
            )
        yield item, row


def _scan_match(row: Mapping[str, Any], work_id: str) -> Found | None:
    for m in row.get("matches") or []:
        if m.get("work_id") == work_id:
            return Found(row["item_id"], m["match"], float(m["score"]), m.get("evidence") or {})
    return None


def _near_match(item: Item, index: WorksIndex, work_id: str) -> Found | None:
    try:
        _kind, result, _prints = search_content(item.data, item.kind, index)
    except UnreadableContent:
        return None
    for m in result.matches if result is not None else ():
        if m.work_id == work_id:
            return Found(item.item_id, m.kind.value, m.score, dict(m.evidence))
    return None


def new_rows(
    rows: list[dict[str, Any]], found: Mapping[str, Found], removal_id: str, work_id: str
) -> list[dict[str, Any]]:
    """The old manifest's rows, the removed ones turned into exclusions."""
    return [
        removed_row(r, found[r["item_id"]], removal_id, work_id) if r["item_id"] in found else r
        for r in rows
    ]


def commitment_of(rows: list[dict[str, Any]]) -> Commitment:
    """The commitment to the included items' raw and content hashes."""
    hashes = [
        h
        for r in rows
        if r["decision"] == "include"
        for h in (r["sha256"], r["content_sha256"])
        if h
    ]
    return Commitment.of(hashes)


def write_outputs(
    reader: CorpusReader,
    out_dir: Path,
    rows: list[dict[str, Any]],
    selection: Selection,
    summary: ScanSummary,
) -> Commitment:
    """Write the new version's cleared output, manifest, hash list and summary."""
    cleared_tmp = out_dir / ".cleared.tmp"
    cleared_tmp.mkdir(parents=True)
    for shard, keep in selection.keep:
        if keep:
            summary.cleared += reader.write_cleared(shard, keep, str(cleared_tmp))
    cleared_tmp.replace(out_dir / "cleared")
    with ManifestWriter(out_dir) as manifest:
        for row in rows:
            manifest.write(row)
        manifest.commit()
    commitment = commitment_of(rows)
    (out_dir / HASHES_FILE).write_bytes(commitment.to_file())
    summary.dataset_root = commitment.root.hex()
    write_summary(summary, out_dir)
    return commitment


def summarise(params_json: str, rows: list[dict[str, Any]]) -> ScanSummary:
    """The new version's summary: the old scan's parameters, counts from the new rows."""
    raw = json.loads(params_json)
    params = ScanParams(**{**raw, "rules": tuple(raw.get("rules") or ())})
    summary = ScanSummary(params)
    reasons: Counter[str] = Counter()
    works: Counter[str] = Counter()
    for row in rows:
        summary.items += 1
        if row["decision"] == "include":
            summary.included += 1
        else:
            summary.excluded += 1
            if row.get("work_id"):
                works[row["work_id"]] += 1
        reasons.update(code.split(":", 1)[0] for code in row["reasons"])
    summary.reasons = dict(sorted(reasons.items()))
    summary.excluded_works = works.most_common(TOP)
    summary.excluded_registered = len(works)
    return summary


def prepare_out_dir(out_dir: Path) -> None:
    """Create the new version's folder; refuse one that holds anything."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InvalidInput(f"{out_dir} exists and is not empty; nothing was changed")
    out_dir.mkdir(parents=True, exist_ok=True)


def discard(out_dir: Path) -> None:
    """Remove a new version's folder after a failure (it is ours: we made it empty)."""
    shutil.rmtree(out_dir, ignore_errors=True)
