"""Corpora behind fsspec URLs (``s3://``, ``gs://``, ``hf://``, ``https://``, ``memory://`` ...).

Every reader works on local files, which keeps each one small and lets the
scan resume and write the cleared subset in the corpus's own format. A remote
corpus is therefore staged first: :func:`stage_remote` copies it, file by file,
into a local folder (disk, never memory) under the same relative paths, so item
ids are exactly those a local copy of the corpus would have. A file already
staged with the same size is not copied again, which is what makes a killed
scan of a remote corpus resume without fetching it twice.

Which protocols work is fsspec's: ``s3://`` needs ``s3fs``, ``gs://`` needs
``gcsfs``, and so on; a missing one is a clear error naming the package.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from consentry.errors import InvalidInput

Fetched = Callable[[str, int], None]


def is_url(ref: str | os.PathLike[str]) -> bool:
    """Whether ``ref`` names a corpus by URL (``proto://...``) rather than a local path."""
    text = os.fspath(ref)
    scheme, sep, _ = text.partition("://")
    return bool(sep) and scheme.replace("+", "").replace("-", "").isalnum() and scheme != "file"


def _filesystem(url: str) -> tuple[Any, str]:
    try:
        from fsspec.core import url_to_fs
    except ImportError as exc:  # pragma: no cover - fsspec is a dependency
        raise InvalidInput("corpus URLs need fsspec", hint="pip install fsspec") from exc
    try:
        fs, root = url_to_fs(url)
        return fs, str(root)
    except (ImportError, ValueError) as exc:
        raise InvalidInput(
            f"cannot open {url}: {exc}",
            hint="install the fsspec driver for the protocol (s3fs for s3://, gcsfs for gs://)",
        ) from exc


def _relative(root: str, path: str) -> PurePosixPath:
    """``path`` below ``root``, refusing any name that would leave the staging folder."""
    rel = PurePosixPath(path[len(root) :].lstrip("/")) if path.startswith(root) else None
    if rel is None or rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise InvalidInput(f"remote corpus file {path!r} is not inside {root!r}; nothing staged")
    return rel


def stage_remote(url: str, target: Path, *, on_fetched: Fetched | None = None) -> Path:
    """Copy the corpus at ``url`` under ``target``; returns the local path to scan.

    A single remote file comes back as ``target/<its name>``; a folder (a
    prefix) as ``target`` holding its files under their relative paths.
    """
    fs, root = _filesystem(url)
    root = root.rstrip("/")
    if not fs.exists(root):
        raise InvalidInput(f"no corpus at {url}")
    if fs.isfile(root):
        files = {root: PurePosixPath(PurePosixPath(root).name)}
        local = target / PurePosixPath(root).name
    else:
        found = fs.find(root, detail=True)
        files = {
            path: _relative(root, path)
            for path, info in found.items()
            if info.get("type") == "file"
        }
        local = target
    target.mkdir(parents=True, exist_ok=True)
    for path, rel in sorted(files.items(), key=lambda kv: str(kv[1])):
        size = int(fs.size(path))
        dest = target.joinpath(*rel.parts)
        if not (dest.is_file() and dest.stat().st_size == size):
            dest.parent.mkdir(parents=True, exist_ok=True)
            partial = dest.with_name(f".{dest.name}.partial")
            fs.get_file(path, str(partial))
            partial.replace(dest)
        if on_fetched is not None:
            on_fetched(str(rel), size)
    return local
