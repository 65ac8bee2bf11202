"""A folder of files: each regular file is an item, its id the path relative to the root.

Files are listed in sorted order and grouped into shards of ``FILES_PER_SHARD``
files or ``BYTES_PER_SHARD`` bytes, whichever comes first (the unit of
parallel work, and the unit a resumed scan skips when done). Symbolic links, devices and files
over the size limit are items with a ``problem``, never followed or read:
a link could point outside the corpus, and nothing is silently left out.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from consentry.corpus.item import Item, Shard
from consentry.errors import InvalidInput

FILES_PER_SHARD = 1024
BYTES_PER_SHARD = 16 * 1024 * 1024
DEFAULT_MAX_ITEM_BYTES = 256 * 1024 * 1024


class FolderReader:
    """Every file under ``root`` (recursively), in sorted order of relative path."""

    format = "folder"

    def __init__(self, root: Path, *, max_item_bytes: int = DEFAULT_MAX_ITEM_BYTES) -> None:
        if not root.is_dir():
            raise InvalidInput(f"{root} is not a folder")
        self.root = root
        self.max_item_bytes = max_item_bytes
        self._parts: dict[str, list[str]] = {}

    def shards(self) -> list[Shard]:
        """The files in sorted order, cut every ``FILES_PER_SHARD`` files or ``BYTES_PER_SHARD``."""
        self._parts = {}
        shards: list[Shard] = []
        part: list[str] = []
        size = 0
        for name in sorted(_walk(self.root)):
            part.append(name)
            size += _size(self.root / name)
            if len(part) >= FILES_PER_SHARD or size >= BYTES_PER_SHARD:
                shards.append(self._close(len(shards), part, size))
                part, size = [], 0
        if part:
            shards.append(self._close(len(shards), part, size))
        return shards

    def _close(self, number: int, part: list[str], size: int) -> Shard:
        name = f"files-{number:06d}"
        self._parts[name] = part
        return Shard(name, size)

    def items(self, shard: Shard) -> Iterator[Item]:
        """Each file of ``shard``, read whole (files are bounded by ``max_item_bytes``)."""
        for position, name in enumerate(self._files(shard)):
            path = self.root / name
            problem = self._problem(path)
            if problem:
                yield Item(name, b"", position, source=name, problem=problem)
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                yield Item(name, b"", position, source=name, problem=f"unreadable:io: {exc}")
                continue
            yield Item(name, data, position, source=name)

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Copy the kept files to ``out_dir``, keeping their relative paths."""
        written = 0
        for position, name in enumerate(self._files(shard)):
            if position in keep:
                target = Path(out_dir) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.root / name, target)
                written += 1
        return written

    def _files(self, shard: Shard) -> list[str]:
        if not self._parts:
            self.shards()
        try:
            return self._parts[shard.name]
        except KeyError:
            raise InvalidInput(f"no shard {shard.name!r} in {self.root}") from None

    def _problem(self, path: Path) -> str | None:
        if path.is_symlink():
            return "unreadable:symlink: links are not followed"
        if not path.is_file():
            return "unreadable:not_a_regular_file"
        size = path.stat().st_size
        if size > self.max_item_bytes:
            return f"unreadable:too_large: {size:,} bytes (limit {self.max_item_bytes:,})"
        if size == 0:
            return "unreadable:empty"
        return None


def _walk(root: Path) -> Iterator[str]:
    """Relative paths (with /) of every non-directory entry; links to folders not entered."""
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        base = Path(folder).relative_to(root)
        for name in files + [d for d in dirs if (Path(folder) / d).is_symlink()]:
            yield (base / name).as_posix()


def _size(path: Path) -> int:
    try:
        return path.lstat().st_size
    except OSError:
        return 0
