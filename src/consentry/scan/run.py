"""A whole scan: plan the shards, run step 1 on an executor, decide, write the outputs.

``DIR/.work/`` keeps the facts of finished shards (the resume state): a scan
started again with the same command skips them and produces the same outputs
as an uninterrupted run. Outputs: ``manifest.jsonl``, ``manifest.parquet``,
``cleared/`` (the included items in the corpus's own format) and
``summary.json``; each is written under a temporary name and renamed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from consentry.corpus.item import CorpusReader, Shard
from consentry.policy import Policy
from consentry.scan.decide import Decided, RegistrySnapshot, Tally, decide_rows
from consentry.scan.executors import Executor, LocalExecutor, ShardDone
from consentry.scan.facts import facts_path, read_facts
from consentry.scan.manifest import ManifestWriter
from consentry.signals import NoSignals, SignalReader

TOP = 10


@dataclass(frozen=True)
class ScanParams:
    """What the scan was asked: written into ``summary.json`` as given."""

    corpus: str
    format: str
    developer_id: str | None
    use: str
    regime: str
    as_of: str
    model: str | None = None
    territory: str | None = None
    rules: tuple[str, ...] = ()
    signals: str = "none"


@dataclass
class ScanSummary:
    """Counts by decision and reason, the registered works most often excluded, the params."""

    params: ScanParams
    items: int = 0
    included: int = 0
    excluded: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    excluded_works: list[tuple[str, int]] = field(default_factory=list)
    excluded_registered: int = 0
    excluded_creators: list[tuple[str, int]] = field(default_factory=list)
    cleared: int = 0
    dataset_version: str | None = None
    dataset_root: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The summary as ``summary.json`` holds it."""
        return asdict(self) | {
            "excluded_works": [list(w) for w in self.excluded_works],
            "excluded_creators": [list(c) for c in self.excluded_creators],
        }


def run_scan(
    reader: CorpusReader,
    out_dir: Path,
    *,
    params: ScanParams,
    policy: Policy,
    open_snapshot: Callable[[], AbstractContextManager[RegistrySnapshot]],
    index_dir: Path,
    executor: Executor | None = None,
    signals: SignalReader | None = None,
    on_done: ShardDone | None = None,
) -> ScanSummary:
    """Scan the corpus of ``reader`` into ``out_dir`` (resuming when it holds a started scan).

    Step 1 runs without the registry; ``open_snapshot`` is entered only for the
    decide step, so a long scan holds no database transaction while it reads.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    work_dir = out_dir / ".work"
    shards = reader.shards()
    _check_resume(work_dir, params, shards)
    signal_reader = signals or NoSignals()
    signal_reader.prepass(reader)
    (executor or LocalExecutor()).run(reader, shards, index_dir, work_dir, signal_reader, on_done)
    with open_snapshot() as snapshot:
        summary = _decide_and_write(reader, shards, work_dir, out_dir, params, policy, snapshot)
    write_summary(summary, out_dir)
    shutil.rmtree(work_dir)
    return summary


def write_summary(summary: ScanSummary, out_dir: Path) -> None:
    """Write ``summary.json`` (under a temporary name, then renamed)."""
    tmp = out_dir / ".summary.json.tmp"
    tmp.write_text(json.dumps(summary.as_json(), indent=2) + "\n", encoding="utf-8")
    tmp.replace(out_dir / "summary.json")


def _check_resume(work_dir: Path, params: ScanParams, shards: list[Shard]) -> None:
    """Start fresh unless ``work_dir`` holds a scan of the same corpus with the same params."""
    plan = json.dumps({"params": asdict(params), "shards": [asdict(s) for s in shards]})
    marker = work_dir / "plan.json"
    if marker.exists() and marker.read_text(encoding="utf-8") == plan:
        for partial in work_dir.glob("facts/.*.tmp"):  # a shard a killed worker left half-written
            partial.unlink()
        return
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    marker.write_text(plan, encoding="utf-8")


def _decide_and_write(
    reader: CorpusReader,
    shards: list[Shard],
    work_dir: Path,
    out_dir: Path,
    params: ScanParams,
    policy: Policy,
    snapshot: RegistrySnapshot,
) -> ScanSummary:
    tally = Tally()
    cleared_tmp = out_dir / ".cleared.tmp"
    shutil.rmtree(cleared_tmp, ignore_errors=True)
    cleared_tmp.mkdir()
    summary = ScanSummary(params)
    with ManifestWriter(out_dir) as manifest:
        for number, shard in enumerate(shards):
            keep: set[int] = set()
            for decided in decide_rows(read_facts(facts_path(work_dir, number)), policy, snapshot):
                tally.add(decided)
                manifest.write(_manifest_row(decided, params.regime))
                if decided.decision.include:
                    keep.add(decided.row["position"])
            if keep:
                summary.cleared += reader.write_cleared(shard, keep, str(cleared_tmp))
        manifest.commit()
    shutil.rmtree(out_dir / "cleared", ignore_errors=True)
    cleared_tmp.replace(out_dir / "cleared")
    summary.items = sum(tally.decisions.values())
    summary.included = tally.decisions["include"]
    summary.excluded = tally.decisions["exclude"]
    summary.reasons = dict(sorted(tally.reasons.items()))
    summary.excluded_works = tally.excluded_works.most_common(TOP)
    summary.excluded_registered = len(tally.excluded_works)
    summary.excluded_creators = tally.excluded_creators.most_common(TOP)
    return summary


def _manifest_row(decided: Decided, regime: str) -> dict[str, Any]:
    row, decision, matches = decided.row, decided.decision, decided.matches
    return {
        "item_id": row["item_id"],
        "source": row.get("source"),
        "kind": row.get("kind"),
        "sha256": row.get("sha256"),
        "content_sha256": row.get("content_sha256"),
        "norm": row.get("norm"),
        "decision": "include" if decision.include else "exclude",
        "reasons": list(decision.reasons),
        "work_id": decision.work_id,
        "match": decision.match,
        "score": None if decision.score is None else round(decision.score, 4),
        "licence_id": decision.licence_id,
        "matches": [
            {
                "work_id": m.work_id,
                "match": m.kind.value,
                "score": round(m.score, 4),
                "evidence": dict(m.evidence),
            }
            for m in matches
        ],
        "signals": row.get("signals", []),
        "regime": regime,
    }
