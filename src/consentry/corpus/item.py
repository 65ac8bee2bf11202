"""What every corpus reader yields: items, each with a stable id, its bytes and its origin.

An :class:`Item` is one unit a developer might train on: a file in a folder,
a line of a JSONL file, a row of a Parquet file, a sample of a WebDataset
shard, a response record of a WARC file. Its ``item_id`` follows DESIGN's
"Scan" contract and is stable across runs, executors and resumptions. An item
that a reader could not read still appears, with ``problem`` saying why, so
that no input item is ever silently missing from a manifest.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from consentry.domain import WorkKind


@dataclass(frozen=True, slots=True)
class Item:
    """One corpus item.

    ``data`` is the content as bytes (a text field is encoded as UTF-8);
    ``kind`` is what the reader knows (a JSONL text field is text) or None to
    sniff it from ``data``; ``source`` is the URL or origin when known;
    ``meta`` carries record metadata the policy and the signals readers use
    (a declared licence, HTTP headers); ``position`` orders the item within
    its shard; ``problem`` is ``unreadable:<why>`` when the reader failed.
    """

    item_id: str
    data: bytes
    position: int
    kind: WorkKind | None = None
    source: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    problem: str | None = None


@dataclass(frozen=True, slots=True)
class Shard:
    """A unit of reading and of resuming: one input file (or one folder's files).

    ``name`` is unique and stable within the corpus (the path relative to the
    corpus root); a finished shard is never read again by a resumed scan.
    """

    name: str
    size: int


class CorpusReader(Protocol):
    """A corpus in one format: its shards, their items, and its cleared copy.

    Implementations stream: memory stays flat whatever the shard's size.
    """

    format: str

    def shards(self) -> list[Shard]:
        """Every shard, in a stable order (sorted by name)."""
        ...

    def items(self, shard: Shard) -> Iterator[Item]:
        """The shard's items in order; unreadable ones with ``problem`` set."""
        ...

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write the items of ``shard`` whose ``position`` is in ``keep`` under ``out_dir``.

        The output is in the corpus's own format with the shard's relative
        path (records and schema kept), so a training job can swap the path.
        Returns the number of items written.
        """
        ...
