"""Executors: who runs step 1 (read -> fingerprint -> match) over the shards.

The steps are the same whoever runs them; an executor only decides where.
``LocalExecutor`` runs shards in this process (``workers=1``) or in a pool of
worker processes, each opening the memory-mapped match index once. Results
arrive as shards finish; the decide step reads them back in shard order, so
the outputs do not depend on the executor or on the order shards finished.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from consentry.corpus.item import CorpusReader, Shard
from consentry.matching.works_index import WorksIndex
from consentry.scan.facts import write_shard_facts
from consentry.scan.limits import DEFAULT_ITEM_SECONDS
from consentry.signals import SignalReader

ShardDone = Callable[[Shard, int], None]


class Executor(Protocol):
    """Runs step 1 over every shard, writing each shard's facts under ``work_dir``."""

    def run(
        self,
        reader: CorpusReader,
        shards: Sequence[Shard],
        index_dir: Path,
        work_dir: Path,
        signals: SignalReader,
        on_done: ShardDone | None = None,
    ) -> int:
        """Write every shard's facts (skipping finished ones); returns the item count."""
        ...


_worker_index: WorksIndex | None = None


@dataclass(frozen=True)
class LocalExecutor:
    """Shards in this process (``workers == 1``) or in ``workers`` processes.

    ``item_seconds`` is each item's wall-clock allowance (None: no limit).
    """

    workers: int = 1
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
        """Write every shard's facts; returns the number of items."""
        if self.workers <= 1 or len(shards) <= 1:
            index = WorksIndex.load(index_dir)
            total = 0
            for number, shard in enumerate(shards):
                count = write_shard_facts(
                    reader, shard, number, index, work_dir, signals, self.item_seconds
                )
                total += count
                if on_done is not None:
                    on_done(shard, count)
            return total
        return self._pool(reader, shards, index_dir, work_dir, signals, on_done)

    def _pool(
        self,
        reader: CorpusReader,
        shards: Sequence[Shard],
        index_dir: Path,
        work_dir: Path,
        signals: SignalReader,
        on_done: ShardDone | None,
    ) -> int:
        total = 0
        with ProcessPoolExecutor(
            self.workers, initializer=_open_index, initargs=(index_dir,)
        ) as pool:
            futures = {
                pool.submit(
                    _run_shard, reader, shard, number, work_dir, signals, self.item_seconds
                ): shard
                for number, shard in enumerate(shards)
            }
            for future in as_completed(futures):
                count = future.result()
                total += count
                if on_done is not None:
                    on_done(futures[future], count)
        return total


def _open_index(index_dir: Path) -> None:
    global _worker_index
    _worker_index = WorksIndex.load(index_dir)


def _run_shard(
    reader: CorpusReader,
    shard: Shard,
    number: int,
    work_dir: Path,
    signals: SignalReader,
    item_seconds: float | None,
) -> int:
    assert _worker_index is not None, "worker started without its index"
    return write_shard_facts(reader, shard, number, _worker_index, work_dir, signals, item_seconds)
