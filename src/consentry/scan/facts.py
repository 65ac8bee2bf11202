"""Step 1 of a scan, per shard: read -> fingerprint -> match, written as facts.

For every item of a shard, :func:`item_facts` records its hashes, its kind,
the near copies and excerpts of registered works the index finds in it, and
why it could not be read or searched. Nothing here needs the registry
database: a worker process holds only the memory-mapped match index. The facts
of a finished shard are written to a file under a temporary name and renamed,
which is what lets a killed scan resume where it stopped.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from consentry.corpus.item import CorpusReader, Item, Shard
from consentry.domain import Fingerprints, WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint.exact import exact_fingerprints
from consentry.fingerprint.work import detect_kind, text_fingerprints_with_shingles
from consentry.matching.types import MatchResult
from consentry.matching.works_index import WorksIndex
from consentry.scan.limits import DEFAULT_ITEM_SECONDS, ItemTimeLimit, time_limit
from consentry.signals import SignalReader

# Record metadata the policy reads (licence, dataset, URL); the rest stays in the corpus.
META_KEYS = ("license", "licence", "license_spdx", "spdx", "dataset", "url", "author")


def item_facts(
    item: Item,
    index: WorksIndex,
    signals: SignalReader,
    item_seconds: float | None = DEFAULT_ITEM_SECONDS,
) -> dict[str, Any]:
    """What one item is, its reservation signals, and which registered works it holds.

    Work on the item past ``item_seconds`` makes it an ``unreadable:timeout`` row.
    """
    row: dict[str, Any] = {
        "item_id": item.item_id,
        "position": item.position,
        "source": item.source,
        "size": len(item.data),
        "sha256": hashlib.sha256(item.data).hexdigest() if item.data else None,
        "meta": {k: item.meta[k] for k in META_KEYS if k in item.meta},
    }
    if item.problem is not None:
        return row | {"problem": item.problem}
    try:
        row["signals"] = [s.as_json() for s in signals.read(item)]
    except Exception as exc:  # a signal reader's bug must exclude the item, not end the scan
        return row | {"problem": f"error:signals: {type(exc).__name__}: {exc}"}
    try:
        with time_limit(item_seconds):
            kind, result, prints = search_content(item.data, item.kind, index)
    except ItemTimeLimit as exc:
        return row | {"problem": f"unreadable:timeout: {exc}"}
    except UnreadableContent as exc:
        message = exc.message
        return row | {
            "problem": message if message.startswith("unreadable:") else f"unreadable:{message}"
        }
    row |= {"kind": kind.value, "sha256": prints.sha256}
    row |= {"content_sha256": prints.content_sha256, "norm": prints.norm}
    if result is None:
        return row | {"refused": f"unsupported: no near-copy matching for {kind} yet"}
    near = [
        {"work_id": m.work_id, "kind": m.kind.value, "score": m.score, "evidence": m.evidence}
        for m in result.matches
    ]
    return row | {"near": near, "refused": result.refused}


def search_content(
    data: bytes, kind: WorkKind | None, index: WorksIndex
) -> tuple[WorkKind, MatchResult | None, Fingerprints]:
    """Content's kind, what the index finds in it (None: no matcher for the kind), its fingerprints.

    Text is extracted as a registered work's file is (HTML, EPUB, DOCX, PDF),
    so the same document gives the same content hash whichever side it is on.
    """
    kind = kind or detect_kind(data)
    if kind is None:
        raise UnreadableContent("unknown_kind: neither text nor a known media format")
    if kind is WorkKind.TEXT:
        _fmt, text, prints, shingles = text_fingerprints_with_shingles(data)
        return kind, index.query_text(text, shingles), prints
    prints = exact_fingerprints(data, kind)
    if kind is WorkKind.IMAGE:
        return kind, index.query_image(data), prints
    if kind is WorkKind.AUDIO:
        return kind, index.query_audio(data), prints
    if kind is WorkKind.VIDEO:
        return kind, index.query_video(data), prints
    return kind, None, prints


def facts_path(work_dir: Path, number: int) -> Path:
    """Where the facts of shard ``number`` are kept."""
    return work_dir / "facts" / f"{number:06d}.jsonl"


def write_shard_facts(
    reader: CorpusReader,
    shard: Shard,
    number: int,
    index: WorksIndex,
    work_dir: Path,
    signals: SignalReader,
    item_seconds: float | None = DEFAULT_ITEM_SECONDS,
) -> int:
    """Fingerprint and match every item of ``shard``; returns the item count.

    Skips the shard when its facts are already there (a resumed scan).
    """
    target = facts_path(work_dir, number)
    if target.exists():
        return sum(1 for _ in read_facts(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    count = 0
    try:
        with tmp.open("w", encoding="utf-8") as out:
            for item in reader.items(shard):
                out.write(
                    json.dumps(
                        item_facts(item, index, signals, item_seconds),
                        sort_keys=True,
                        default=str,
                    )
                    + "\n"
                )
                count += 1
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return count


def read_facts(path: Path) -> Iterator[dict[str, Any]]:
    """The facts rows of one shard, in item order."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)
