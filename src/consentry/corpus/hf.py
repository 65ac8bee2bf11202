"""Hugging Face ``datasets`` folders saved with ``save_to_disk``, read with pyarrow alone.

The layout: ``data-XXXXX-of-YYYYY.arrow`` files (Arrow IPC *streams*), listed
in ``state.json`` under ``_data_files``, beside ``dataset_info.json``; a
``DatasetDict`` has ``dataset_dict.json`` (``{"splits": [...]}``) and one such
folder per split. Each Arrow file is a shard, each row an item with id
``<split/file>#<row, 0-based>`` (``<file>#<row>`` for a single Dataset). The
content column is handled as for Parquet (text, bytes, or an image struct);
the schema is checked when the corpus is opened. The cleared copy has the same
layout and metadata files, with the kept rows and the same schema. The
``datasets`` package is not needed.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa

from consentry.corpus.item import Item, Shard
from consentry.corpus.parquet import check_columns, row_item
from consentry.errors import InvalidInput

META_FILES = ("state.json", "dataset_info.json")


class HfDatasetReader:
    """A ``save_to_disk`` folder (Dataset or DatasetDict); one shard per Arrow file."""

    format = "hf"

    def __init__(self, path: Path, *, text_field: str = "text", id_field: str | None = None):
        if not path.is_dir():
            raise InvalidInput(f"no Hugging Face dataset folder at {path}")
        self.root = path
        self.text_field = text_field
        self.id_field = id_field
        self.files = sorted(_arrow_files(path))
        if not self.files:
            raise InvalidInput(f"no Arrow data files in {path}")
        for name in self.files:
            self._check_schema(name)

    def shards(self) -> list[Shard]:
        """One shard per Arrow file, sorted by ``split/file``."""
        return [Shard(name, (self.root / name).stat().st_size) for name in self.files]

    def items(self, shard: Shard) -> Iterator[Item]:
        """Each row in order, a record batch at a time; a damaged file ends with a problem."""
        position = 0
        try:
            with pa.OSFile(str(self.root / shard.name)) as handle:
                for batch in pa.ipc.open_stream(handle):
                    for row in batch.to_pylist():
                        yield row_item(shard.name, position, row, self.text_field, self.id_field)
                        position += 1
        except (pa.ArrowInvalid, OSError) as exc:
            problem = f"unreadable:corrupt_arrow: {exc}"
            yield Item(f"{shard.name}#unreadable-{position}", b"", position, problem=problem)

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write the kept rows to the same relative path, with the folder's metadata files."""
        target = Path(out_dir) / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        self._copy_metadata(PurePosixPath(shard.name).parent, Path(out_dir))
        written = position = 0
        with pa.OSFile(str(self.root / shard.name)) as handle:
            source = pa.ipc.open_stream(handle)
            sink = pa.OSFile(str(target), "wb")
            with sink, pa.ipc.new_stream(sink, source.schema) as writer:
                for batch in source:
                    mask = [position + i in keep for i in range(batch.num_rows)]
                    position += batch.num_rows
                    kept = batch.filter(pa.array(mask, pa.bool_()))
                    if kept.num_rows:
                        writer.write_batch(kept)
                        written += kept.num_rows
        return written

    def _copy_metadata(self, split: PurePosixPath, out: Path) -> None:
        if (self.root / "dataset_dict.json").exists():
            shutil.copyfile(self.root / "dataset_dict.json", out / "dataset_dict.json")
        for name in META_FILES:
            source = self.root / split / name
            if source.exists():
                shutil.copyfile(source, out / split / name)

    def _check_schema(self, name: str) -> None:
        try:
            with pa.OSFile(str(self.root / name)) as handle:
                schema = pa.ipc.open_stream(handle).schema
        except (pa.ArrowInvalid, OSError) as exc:
            raise InvalidInput(f"{name} is not a readable Arrow stream: {exc}") from exc
        check_columns(schema, name, self.text_field, self.id_field)


def _arrow_files(root: Path) -> list[str]:
    """``split/file`` names from ``dataset_dict.json`` and each ``state.json``."""
    splits = [""]
    if (root / "dataset_dict.json").exists():
        splits = [str(s) for s in _json(root / "dataset_dict.json").get("splits", [])]
    found: list[str] = []
    for split in splits:
        folder = root / split
        state = _json(folder / "state.json") if (folder / "state.json").exists() else {}
        listed = [str(f.get("filename")) for f in state.get("_data_files", [])]
        names = listed or sorted(p.name for p in folder.glob("data-*.arrow"))
        for name in names:
            relative = PurePosixPath(split, name) if split else PurePosixPath(name)
            if ".." in relative.parts or relative.is_absolute():
                raise InvalidInput(f"{root}: a data file name leaves the folder: {name!r}")
            found.append(relative.as_posix())
    return found


def _json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{path} is not readable JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise InvalidInput(f"{path} is not a JSON object")
    return value
