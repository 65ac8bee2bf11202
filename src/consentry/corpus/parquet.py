"""Parquet (pyarrow): each row is an item; the text or bytes come from one column.

Item id: ``<file>#<row, 0-based>``, or ``<file>#<id>`` with an id column.
The content column (``text`` by default) holds a string, or binary data, or
a struct with a ``bytes`` field as Hugging Face writes images. A corpus is a
``.parquet`` file or a folder of them, one shard per file, read in record
batches so memory stays flat. The schema is checked when the corpus is
opened: a missing or unusable content column is a clear error before the
scan starts. The cleared copy keeps the kept rows with the same schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from consentry.corpus.files import corpus_files
from consentry.corpus.item import Item, Shard
from consentry.domain import WorkKind
from consentry.errors import InvalidInput

BATCH_ROWS = 1024
META_COLUMNS = ("url", "source", "license", "licence", "dataset", "author")


class ParquetReader:
    """One Parquet file or a folder of them."""

    format = "parquet"

    def __init__(self, path: Path, *, text_field: str = "text", id_field: str | None = None):
        if not path.exists():
            raise InvalidInput(f"no corpus at {path}")
        self.root = path if path.is_dir() else path.parent
        self.files = corpus_files(path, (".parquet",))
        if not self.files:
            raise InvalidInput(f"no .parquet files in {path}")
        self.text_field = text_field
        self.id_field = id_field
        for name in self.files:
            self._check_schema(name)

    def shards(self) -> list[Shard]:
        """One shard per file."""
        return [Shard(name, (self.root / name).stat().st_size) for name in self.files]

    def items(self, shard: Shard) -> Iterator[Item]:
        """Each row, in order, read a record batch at a time."""
        position = 0
        for batch in pq.ParquetFile(self.root / shard.name).iter_batches(BATCH_ROWS):
            for row in batch.to_pylist():
                yield self._item(shard.name, position, row)
                position += 1

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write the kept rows, with the same schema, to the same relative path."""
        source = pq.ParquetFile(self.root / shard.name)
        target = Path(out_dir) / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = position = 0
        with pq.ParquetWriter(target, source.schema_arrow) as writer:
            for batch in source.iter_batches(BATCH_ROWS):
                mask = [position + i in keep for i in range(batch.num_rows)]
                position += batch.num_rows
                kept = batch.filter(pa.array(mask))
                if kept.num_rows:
                    writer.write_batch(kept)
                    written += kept.num_rows
        return written

    def _check_schema(self, name: str) -> None:
        try:
            schema = pq.read_schema(self.root / name)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InvalidInput(f"{name} is not a readable Parquet file: {exc}") from exc
        check_columns(schema, name, self.text_field, self.id_field)

    def _item(self, name: str, position: int, row: dict[str, Any]) -> Item:
        return row_item(name, position, row, self.text_field, self.id_field)


def check_columns(schema: pa.Schema, name: str, text_field: str, id_field: str | None) -> None:
    """Refuse, before the scan, a schema whose content column is missing or unusable."""
    if text_field not in schema.names:
        raise InvalidInput(
            f"{name} has no column {text_field!r} (it has {', '.join(schema.names)})",
            hint="name the content column with --text-field",
        )
    kind = schema.field(text_field).type
    usable = pa.types.is_string(kind) or pa.types.is_large_string(kind)
    usable = usable or pa.types.is_binary(kind) or pa.types.is_large_binary(kind)
    usable = usable or (pa.types.is_struct(kind) and kind.get_field_index("bytes") >= 0)
    if not usable:
        raise InvalidInput(f"{name}: column {text_field!r} is {kind}, not text or bytes")
    if id_field is not None and id_field not in schema.names:
        raise InvalidInput(f"{name} has no id column {id_field!r}")


def row_item(
    name: str, position: int, row: dict[str, Any], text_field: str, id_field: str | None
) -> Item:
    """The item for one table row (Parquet or Arrow): text, bytes or an image struct."""
    item_id = f"{name}#{position}"
    if id_field is not None and row.get(id_field) is not None:
        item_id = f"{name}#{row[id_field]}"
    value = row.get(text_field)
    if isinstance(value, dict):
        value = value.get("bytes")
    meta = {k: row[k] for k in META_COLUMNS if isinstance(row.get(k), str)}
    source = meta.get("url") or meta.get("source")
    if isinstance(value, str):
        return Item(item_id, value.encode("utf-8"), position, WorkKind.TEXT, source, meta)
    if isinstance(value, bytes):
        return Item(item_id, value, position, None, source, meta)
    return Item(item_id, b"", position, source=source, meta=meta, problem="unreadable:empty")
