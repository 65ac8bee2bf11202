"""One item's signals, for a person debugging a decision (``consentry signals ITEM``).

``ITEM`` is a file, or a record in the manifest's ``item_id`` form after the
corpus path (``crawl.jsonl#12``, ``crawl.warc.gz#<urn:uuid:...>``). For a
record, the whole corpus is read first, as a scan's pre-pass does, so that
its host's robots.txt and tdmrep.json count.
"""

from __future__ import annotations

from pathlib import Path

from consentry.corpus import open_corpus
from consentry.corpus.item import Item
from consentry.errors import InvalidInput, NotFound
from consentry.signals.base import Signal
from consentry.signals.corpus import CorpusSignals

MAX_FILE = 256 * 1024 * 1024


def item_signals(ref: str, robots_dir: Path | None = None) -> tuple[Item, list[Signal]]:
    """The item ``ref`` names and every signal read for it."""
    reader = CorpusSignals(robots_dir)
    path, _, record = ref.partition("#")
    if not record:
        return _file_item(Path(ref), reader)
    corpus = open_corpus(Path(path))
    reader.prepass(corpus)
    wanted = f"{Path(path).name}#{record}"
    for shard in corpus.shards():
        for item in corpus.items(shard):
            if item.item_id in (wanted, ref, f"{shard.name}#{record}"):
                return item, reader.read(item)
    raise NotFound(f"no item {wanted!r} in {path}", hint="give the item_id as the manifest has it")


def _file_item(path: Path, reader: CorpusSignals) -> tuple[Item, list[Signal]]:
    if not path.is_file():
        raise NotFound(f"no file {path}")
    if path.stat().st_size > MAX_FILE:
        raise InvalidInput(f"{path} is larger than {MAX_FILE:,} bytes")
    item = Item(path.name, path.read_bytes(), 0, source=str(path))
    return item, reader.read(item)
