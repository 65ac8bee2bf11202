"""JSON Lines: each line is an item; the text comes from one field, the id from the line.

Item id: ``<file>#<line, 0-based>``, or ``<file>#<id>`` when an id field is
named. A corpus is a ``.jsonl`` / ``.jsonl.gz`` file or a folder of them, one
shard per file. A line that is not a JSON object, or lacks the text field,
is an item with a ``problem`` (fail closed), and the rest of the file is read.
The cleared copy holds the kept lines byte for byte.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from consentry.corpus.files import corpus_files
from consentry.corpus.item import Item, Shard
from consentry.domain import WorkKind
from consentry.errors import InvalidInput

SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
MAX_LINE_BYTES = 64 * 1024 * 1024


class JsonlReader:
    """One JSONL file, or every JSONL file in a folder (sorted by relative path)."""

    format = "jsonl"

    def __init__(self, path: Path, *, text_field: str = "text", id_field: str | None = None):
        if not path.exists():
            raise InvalidInput(f"no corpus at {path}")
        self.root = path if path.is_dir() else path.parent
        self.files = corpus_files(path, SUFFIXES)
        if not self.files:
            raise InvalidInput(f"no JSONL files ({', '.join(SUFFIXES)}) in {path}")
        self.text_field = text_field
        self.id_field = id_field

    def shards(self) -> list[Shard]:
        """One shard per file."""
        return [Shard(name, (self.root / name).stat().st_size) for name in self.files]

    def items(self, shard: Shard) -> Iterator[Item]:
        """Each line of the file, in order (blank lines are items too: nothing is skipped)."""
        with _open(self.root / shard.name) as handle:
            for position, raw in enumerate(_lines(handle)):
                yield self._item(shard.name, position, raw)

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write the kept lines, unchanged, to the same relative path under ``out_dir``."""
        target = Path(out_dir) / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with _open(self.root / shard.name) as source, _create(target) as out:
            for position, raw in enumerate(_lines(source)):
                if position in keep:
                    out.write(raw if raw.endswith(b"\n") else raw + b"\n")
                    written += 1
        return written

    def _item(self, name: str, position: int, raw: bytes) -> Item:
        line_id = f"{name}#{position}"
        if len(raw) > MAX_LINE_BYTES:
            return Item(line_id, b"", position, problem=f"unreadable:too_large: {len(raw):,} bytes")
        try:
            record = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            return Item(line_id, b"", position, problem=f"unreadable:broken_json: {exc}")
        if not isinstance(record, dict):
            return Item(line_id, b"", position, problem="unreadable:not_an_object")
        item_id = self._item_id(name, position, record)
        text = record.get(self.text_field)
        if not isinstance(text, str):
            why = f"unreadable:no_text: field {self.text_field!r} is missing or not a string"
            return Item(item_id, b"", position, problem=why)
        meta = {k: v for k, v in record.items() if k != self.text_field}
        source = _source(meta)
        return Item(item_id, text.encode("utf-8"), position, WorkKind.TEXT, source, meta)

    def _item_id(self, name: str, position: int, record: dict[str, Any]) -> str:
        if self.id_field is None or record.get(self.id_field) is None:
            return f"{name}#{position}"
        return f"{name}#{record[self.id_field]}"


def is_jsonl(path: Path) -> bool:
    """True for a JSONL file, or a folder whose files are all JSONL."""
    if path.is_file():
        return path.name.endswith(SUFFIXES)
    files = [p for p in path.rglob("*") if p.is_file()]
    return bool(files) and all(p.name.endswith(SUFFIXES) for p in files)


def _lines(handle: IO[bytes]) -> Iterator[bytes]:
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
        yield raw


def _open(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "rb") if path.name.endswith(".gz") else path.open("rb"))


def _create(path: Path) -> IO[bytes]:
    return cast(IO[bytes], gzip.open(path, "wb") if path.name.endswith(".gz") else path.open("wb"))


def _source(meta: dict[str, Any]) -> str | None:
    for key in ("url", "source", "origin"):
        if isinstance(meta.get(key), str):
            return str(meta[key])
    return None
