"""The manifest: one row per input item, exactly once, as JSONL and Parquet.

Columns follow DESIGN's "Scan" contract and ``docs/schemas/manifest.schema.json``.
In Parquet, ``matches`` and ``signals`` (free-form evidence) are JSON text;
in JSONL they are nested. Rows hold no clock reading, so the same input and
parameters give byte-identical files.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

COLUMNS = (
    "item_id",
    "source",
    "kind",
    "sha256",
    "content_sha256",
    "norm",
    "decision",
    "reasons",
    "work_id",
    "match",
    "score",
    "licence_id",
    "matches",
    "signals",
    "regime",
)
_JSON_TEXT = ("matches", "signals")
SCHEMA = pa.schema(
    [
        pa.field(name, pa.list_(pa.string()) if name == "reasons" else pa.string())
        if name != "score"
        else pa.field(name, pa.float64())
        for name in COLUMNS
    ]
)
BATCH = 4096


class ManifestWriter:
    """Writes manifest rows to ``manifest.jsonl`` and ``manifest.parquet`` under temporary names.

    :meth:`commit` renames both into place; leaving without it removes them.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.jsonl_tmp = out_dir / ".manifest.jsonl.tmp"
        self.parquet_tmp = out_dir / ".manifest.parquet.tmp"
        self.jsonl = self.jsonl_tmp.open("w", encoding="utf-8")
        self.parquet = pq.ParquetWriter(self.parquet_tmp, SCHEMA)
        self.pending: list[dict[str, Any]] = []
        self.rows = 0

    def write(self, row: dict[str, Any]) -> None:
        """Append one row (keys exactly :data:`COLUMNS`)."""
        self.jsonl.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")
        self.pending.append(row)
        self.rows += 1
        if len(self.pending) >= BATCH:
            self._flush()

    def commit(self) -> None:
        """Finish both files and move them into place."""
        self._flush()
        self.jsonl.close()
        self.parquet.close()
        self.jsonl_tmp.replace(self.out_dir / "manifest.jsonl")
        self.parquet_tmp.replace(self.out_dir / "manifest.parquet")

    def _flush(self) -> None:
        if not self.pending:
            return
        columns = {
            name: [
                json.dumps(r[name], sort_keys=True) if name in _JSON_TEXT else r[name]
                for r in self.pending
            ]
            for name in COLUMNS
        }
        self.parquet.write_table(pa.table(columns, schema=SCHEMA))
        self.pending = []

    def __enter__(self) -> ManifestWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if not self.jsonl.closed:
            self.jsonl.close()
            self.parquet.close()
            self.jsonl_tmp.unlink(missing_ok=True)
            self.parquet_tmp.unlink(missing_ok=True)
