"""The files of a removal: find the work in the old version's items, write the new version.

Reads the old version's manifest (streamed: :mod:`.remove_manifest`) and its
corpus (which must be unchanged since the scan: every included item's bytes
must still have the manifest's hash), decides which included items hold the
work (exact hashes, the scan's own matches, and the matching layer run again
now), and writes the new version's outputs the way a scan does: ``cleared/``
in the corpus's own format, ``manifest.jsonl`` + ``manifest.parquet`` (row by
row), ``included-hashes.bin`` and ``summary.json``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consentry.actions.datasets import HASHES_FILE
from consentry.actions.remove_manifest import HashCollector, OldManifest
from consentry.corpus.item import CorpusReader, Item, Shard
from consentry.errors import InvalidInput, UnreadableContent
from consentry.evidence.commitment import Commitment
from consentry.evidence.removal import Found, removed_row
from consentry.matching.works_index import WorksIndex
from consentry.scan.facts import search_content
from consentry.scan.manifest import ManifestWriter
from consentry.scan.run import TOP, ScanParams, ScanSummary, write_summary


@dataclass
class Selection:
    """Which included items hold the work, and the positions kept in each shard."""

    found: dict[str, Found] = field(default_factory=dict)
    keep: list[tuple[Shard, set[int]]] = field(default_factory=list)


def select_items(
    reader: CorpusReader, old: OldManifest, work_id: str, index: WorksIndex
) -> Selection:
    """Read the corpus once; find every included item holding the work."""
    selection, seen = Selection(), 0
    for shard in reader.shards():
        keep: set[int] = set()
        for item in _included_items(reader, shard, old.included):
            seen += 1
            found = old.named.get(item.item_id) or _near_match(item, index, work_id)
            if found is None:
                keep.add(item.position)
            else:
                selection.found[item.item_id] = found
        selection.keep.append((shard, keep))
    if seen != len(old.included):
        raise InvalidInput(
            f"the corpus now holds {seen} of the version's {len(old.included)} included items",
            hint="a removal re-reads the scanned corpus; restore it as it was scanned",
        )
    return selection


def _included_items(
    reader: CorpusReader, shard: Shard, included: Mapping[str, bytes]
) -> Iterator[Item]:
    for item in reader.items(shard):
        expected = included.get(item.item_id)
        if expected is None:
            continue
        if hashlib.sha256(item.data).digest() != expected:
            raise InvalidInput(
                f"item {item.item_id} changed since the scan (its SHA-256 differs)",
                hint="a removal re-reads the scanned corpus; restore it as it was scanned",
            )
        yield item


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
    rows: Iterable[dict[str, Any]], found: Mapping[str, Found], removal_id: str, work_id: str
) -> Iterator[dict[str, Any]]:
    """The old manifest's rows, the removed ones turned into exclusions (one at a time)."""
    for r in rows:
        yield (
            removed_row(r, found[r["item_id"]], removal_id, work_id) if r["item_id"] in found else r
        )


@dataclass
class Written:
    """What writing the new version gave: its commitment and summary, and what the claims need."""

    commitment: Commitment
    summary: ScanSummary
    removed: list[dict[str, Any]]  # the removed items' new rows, in manifest order
    names_work: bool  # some row (excluded ones too) was matched to the work


def write_outputs(
    reader: CorpusReader,
    out_dir: Path,
    rows: Iterable[dict[str, Any]],
    selection: Selection,
    summary: ScanSummary,
    work_id: str,
) -> Written:
    """Write the new version's cleared output, manifest, hash list and summary (rows streamed)."""
    cleared_tmp = out_dir / ".cleared.tmp"
    cleared_tmp.mkdir(parents=True)
    for shard, keep in selection.keep:
        if keep:
            summary.cleared += reader.write_cleared(shard, keep, str(cleared_tmp))
    cleared_tmp.replace(out_dir / "cleared")
    hashes, tally = HashCollector(), _Tally()
    removed: list[dict[str, Any]] = []
    with ManifestWriter(out_dir) as manifest:
        for row in rows:
            manifest.write(row)
            hashes.add(row)
            tally.add(row, work_id)
            if row["item_id"] in selection.found:
                removed.append(row)
        manifest.commit()
    commitment = hashes.commitment()
    (out_dir / HASHES_FILE).write_bytes(commitment.to_file())
    tally.into(summary)
    summary.dataset_root = commitment.root.hex()
    write_summary(summary, out_dir)
    return Written(commitment, summary, removed, tally.names_work)


def summary_of(params_json: str) -> ScanSummary:
    """The new version's summary, before its counts: the old scan's parameters."""
    raw = json.loads(params_json)
    return ScanSummary(ScanParams(**{**raw, "rules": tuple(raw.get("rules") or ())}))


@dataclass
class _Tally:
    """The new version's counts, row by row (what ``summary.json`` reports)."""

    items: int = 0
    included: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    works: Counter[str] = field(default_factory=Counter)
    names_work: bool = False

    def add(self, row: Mapping[str, Any], work_id: str) -> None:
        self.items += 1
        if row["decision"] == "include":
            self.included += 1
        elif row.get("work_id"):
            self.works[row["work_id"]] += 1
        self.reasons.update(code.split(":", 1)[0] for code in row["reasons"])
        self.names_work = self.names_work or (
            row.get("work_id") == work_id
            or any(m.get("work_id") == work_id for m in row["matches"])
        )

    def into(self, summary: ScanSummary) -> None:
        summary.items, summary.included = self.items, self.included
        summary.excluded = self.items - self.included
        summary.reasons = dict(sorted(self.reasons.items()))
        summary.excluded_works = self.works.most_common(TOP)
        summary.excluded_registered = len(self.works)


def prepare_out_dir(out_dir: Path) -> None:
    """Create the new version's folder; refuse one that holds anything."""
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise InvalidInput(f"{out_dir} exists and is not empty; nothing was changed")
    out_dir.mkdir(parents=True, exist_ok=True)


def discard(out_dir: Path) -> None:
    """Remove a new version's folder after a failure (it is ours: we made it empty)."""
    shutil.rmtree(out_dir, ignore_errors=True)
