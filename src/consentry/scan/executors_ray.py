"""The Ray Data executor: step 1 over a cluster, for corpora that outgrow one machine.

Each shard is one row of a Ray dataset; a pool of actors, each holding the
memory-mapped match index, writes the shard's facts to the scan's work folder
(which must be on storage every node can reach: a shared file system). The
decide step then reads the facts in shard order exactly as after the local
executor, so the manifests are byte-identical. Ray is optional: install
``consentry[ray]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.corpus.item import CorpusReader, Shard
from consentry.errors import InvalidInput
from consentry.matching.works_index import WorksIndex
from consentry.scan.executors import ShardDone
from consentry.scan.facts import write_shard_facts
from consentry.scan.limits import DEFAULT_ITEM_SECONDS
from consentry.signals import SignalReader


@dataclass(frozen=True)
class RayExecutor:
    """Shards as Ray Data tasks on the cluster at ``address`` (None: start a local one)."""

    address: str | None = None
    workers: int | None = None
    item_seconds: float | None = DEFAULT_ITEM_SECONDS

    def run(
        self,
        reader: CorpusReader,
        shards: Sequence[Shard],
        index_dir: Path,
        work_dir: Path,
        signals: SignalReader,
        on_done: ShardDone | None = None,
    ) -> int:
        """Write every shard's facts on the cluster; returns the number of items."""
        ray = _ray()
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
        try:
            rows = [{"number": n, "name": s.name, "size": s.size} for n, s in enumerate(shards)]
            if not rows:
                return 0
            dataset = ray.data.from_items(rows, override_num_blocks=len(rows))
            done = dataset.map_batches(
                _ShardWorker,
                fn_constructor_args=(
                    reader,
                    str(index_dir),
                    str(work_dir),
                    signals,
                    self.item_seconds,
                ),
                batch_size=1,
                compute=ray.data.ActorPoolStrategy(size=self._pool_size(ray, len(rows))),
            ).take_all()
        finally:
            if started_here:
                ray.shutdown()
        total = 0
        for row in sorted(done, key=lambda r: int(r["number"])):
            total += int(row["items"])
            if on_done is not None:
                on_done(shards[int(row["number"])], int(row["items"]))
        return total

    def _pool_size(self, ray: Any, shards: int) -> int:
        cpus = int(ray.available_resources().get("CPU", 1))
        return max(1, min(shards, self.workers or cpus))


class _ShardWorker:
    """A Ray actor: opens the index once, then writes the facts of each shard it is given."""

    def __init__(
        self,
        reader: CorpusReader,
        index_dir: str,
        work_dir: str,
        signals: SignalReader,
        item_seconds: float | None,
    ) -> None:
        self.reader = reader
        self.item_seconds = item_seconds
        self.signals = signals
        self.index = WorksIndex.load(index_dir)
        self.work_dir = Path(work_dir)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[int]]:
        counts = []
        for number, name, size in zip(batch["number"], batch["name"], batch["size"], strict=True):
            shard = Shard(str(name), int(size))
            counts.append(
                write_shard_facts(
                    self.reader,
                    shard,
                    int(number),
                    self.index,
                    self.work_dir,
                    self.signals,
                    self.item_seconds,
                )
            )
        return {"number": [int(n) for n in batch["number"]], "items": counts}


def _ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise InvalidInput(
            "the Ray executor needs Ray", hint="pip install 'consentry[ray]'"
        ) from exc
    return ray
