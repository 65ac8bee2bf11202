"""Saving and loading an :class:`ImageIndex` as a folder of ``.npy`` files (memory-mapped)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME
from consentry.matching.image_index import ImageIndex, ImageThresholds

FORMAT = "consentry-image-index"
VERSION = 2
_ARRAYS = ("hashes", "owner", "region", "sorted_keys", "order")


def save_image_index(index: ImageIndex, folder: Path) -> None:
    """Write ``index`` (compacted first) into the empty folder ``folder``."""
    index.compact()
    folder.mkdir(parents=True, exist_ok=True)
    for name in _ARRAYS:
        np.save(folder / f"{name}.npy", np.ascontiguousarray(getattr(index, name)))
    alive = np.array([index.number.get(w) == n for n, w in enumerate(index.ids)], np.bool_)
    np.save(folder / "alive.npy", alive)
    (folder / "ids.txt").write_text("".join(f"{i}\n" for i in index.ids), encoding="utf-8")
    manifest = {"format": FORMAT, "version": VERSION, "scheme": IMAGE_SCHEME, "works": len(index)}
    (folder / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")


def load_image_index(folder: Path, thresholds: ImageThresholds | None = None) -> ImageIndex:
    """Open a folder written by :func:`save_image_index` (the large arrays memory-mapped)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    found = (manifest.get("format"), manifest.get("version"), manifest.get("scheme"))
    if found != (FORMAT, VERSION, IMAGE_SCHEME):
        raise InvalidInput(f"image index at {folder} is {found}", hint="rebuild the index")
    index = ImageIndex(thresholds)
    for name in _ARRAYS:
        setattr(index, name, np.load(folder / f"{name}.npy", mmap_mode="r"))
    index.indexed = int(index.hashes.shape[0])
    index.ids = (folder / "ids.txt").read_text(encoding="utf-8").splitlines()
    alive = np.load(folder / "alive.npy")
    index.number = {w: n for n, w in enumerate(index.ids) if alive[n]}
    return index
