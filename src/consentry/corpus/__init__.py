"""Corpus readers and writers: one small module per format, each streaming items.

:func:`open_corpus` picks the reader from the path (or ``format``): a folder of
files, JSONL, Parquet, WebDataset tar shards, WARC, or a Hugging Face
``datasets`` folder. Every reader yields :class:`Item` values with DESIGN's
item ids and writes the cleared subset back in the corpus's own format.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from consentry.corpus.item import CorpusReader, Item, Shard
from consentry.errors import InvalidInput

# format -> (module, class); modules are imported only when their format is used.
READERS: dict[str, tuple[str, str]] = {
    "folder": ("consentry.corpus.folder", "FolderReader"),
    "jsonl": ("consentry.corpus.jsonl", "JsonlReader"),
    "parquet": ("consentry.corpus.parquet", "ParquetReader"),
    "webdataset": ("consentry.corpus.webdataset", "WebDatasetReader"),
    "warc": ("consentry.corpus.warc", "WarcReader"),
    "hf": ("consentry.corpus.hf", "HfDatasetReader"),
}
_SUFFIX_FORMATS = (
    ((".jsonl", ".jsonl.gz", ".ndjson"), "jsonl"),
    ((".parquet",), "parquet"),
    ((".tar",), "webdataset"),
    ((".warc", ".warc.gz"), "warc"),
)


def detect_format(path: Path) -> str:
    """The corpus format of ``path``, from its name or, for a folder, what it holds."""
    if path.is_file():
        for suffixes, fmt in _SUFFIX_FORMATS:
            if path.name.endswith(suffixes):
                return fmt
        raise InvalidInput(
            f"cannot tell the corpus format of {path}",
            hint="name the format with --format (" + ", ".join(READERS) + ")",
        )
    if not path.is_dir():
        raise InvalidInput(f"no corpus at {path}")
    if (path / "dataset_info.json").exists() or (path / "dataset_dict.json").exists():
        return "hf"
    files = [p.name for p in path.rglob("*") if p.is_file()]
    for suffixes, fmt in _SUFFIX_FORMATS:
        if files and all(name.endswith(suffixes) for name in files):
            return fmt
    return "folder"


def open_corpus(path: Path, *, format: str | None = None, **options: Any) -> CorpusReader:
    """The reader for the corpus at ``path``; options (``text_field``...) go to the reader."""
    fmt = format or detect_format(path)
    if fmt not in READERS:
        raise InvalidInput(f"unknown corpus format {fmt!r}", hint="use " + ", ".join(READERS))
    module_name, class_name = READERS[fmt]
    try:
        reader_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise InvalidInput(f"the {fmt} reader is not available: {exc}") from exc
    given = {k: v for k, v in options.items() if v is not None}
    takes = inspect.signature(reader_class).parameters
    unknown = sorted(set(given) - set(takes))
    if unknown:
        raise InvalidInput(f"the {fmt} reader takes no option {', '.join(unknown)}")
    reader: CorpusReader = reader_class(path, **given)
    return reader


__all__ = ["READERS", "CorpusReader", "Item", "Shard", "detect_format", "open_corpus"]
