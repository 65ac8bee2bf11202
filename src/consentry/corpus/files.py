"""Which files of a corpus path a reader reads."""

from __future__ import annotations

from pathlib import Path


def corpus_files(path: Path, suffixes: tuple[str, ...]) -> list[str]:
    """``path`` itself when it is a file, else its files ending in ``suffixes``.

    Names are relative to the corpus root with ``/`` between folders, sorted,
    so shards and item ids are the same on every machine.
    """
    if path.is_file():
        return [path.name]
    found = (p for p in path.rglob("*") if p.is_file() and p.name.endswith(suffixes))
    return sorted(p.relative_to(path).as_posix() for p in found)
