"""Saving and loading an :class:`ImageIndex` as a folder of ``.npy`` files (memory-mapped).

Version 4: the multi-index tables are CSR (``offsets.npy``, ``postings.npy``)
with the chunk layout and the address bits per chunk in the manifest, and the
quality floors the rows were chosen by (a work under ``region_quality`` has its
whole picture only); an index of an older version, another layout or other
floors is refused with a hint to rebuild it (the registry rebuilds it on next
use). Version 3 indexed every row of a work whatever its quality.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from consentry.errors import InvalidInput
from consentry.fingerprint.image import IMAGE_SCHEME
from consentry.matching.image_index import ImageIndex, ImageThresholds
from consentry.matching.image_tables import LAYOUT, HashTables, address_bits

FORMAT = "consentry-image-index"
VERSION = 4
_ROWS = ("hashes", "owner", "region")
_DTYPES = tuple(np.dtype(t).str for t in (np.uint8, np.uint32, np.uint16, np.uint32, np.uint32))


def save_image_index(index: ImageIndex, folder: Path) -> None:
    """Write ``index`` (compacted first: no delta, no removed works) into the folder ``folder``."""
    index.compact()
    folder.mkdir(parents=True, exist_ok=True)
    arrays = {
        "hashes": index.hashes,
        "owner": index.owner,
        "region": index.region,
        "offsets": index.tables.offsets,
        "postings": index.tables.postings,
    }
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", np.ascontiguousarray(array))
    (folder / "ids.txt").write_text("".join(f"{i}\n" for i in index.ids), encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "scheme": IMAGE_SCHEME,
        "works": len(index),
        "rows": index.tables.rows,
        "bits": list(index.tables.bits),
        "layout": [list(chunk) for chunk in LAYOUT],
        "floors": _floors(index.thresholds),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")


def load_image_index(folder: Path, thresholds: ImageThresholds | None = None) -> ImageIndex:
    """Open a folder written by :func:`save_image_index` (the large arrays memory-mapped)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"image index at {folder} is unreadable", hint="rebuild the index"
        ) from exc
    found = (manifest.get("format"), manifest.get("version"), manifest.get("scheme"))
    layout = [tuple(chunk) for chunk in manifest.get("layout", [])]
    if found != (FORMAT, VERSION, IMAGE_SCHEME) or layout != list(LAYOUT):
        raise InvalidInput(f"image index at {folder} is {found}", hint="rebuild the index")
    floors = _floors(thresholds or ImageThresholds())
    if manifest.get("floors") != floors:
        raise InvalidInput(
            f"image index at {folder} was built with quality floors {manifest.get('floors')},"
            f" not {floors}",
            hint="rebuild the index",
        )
    try:
        hashes, owner, region, offsets, postings = (
            np.asarray(np.load(folder / f"{name}.npy", mmap_mode="r"))
            for name in (*_ROWS, "offsets", "postings")
        )
        ids = (folder / "ids.txt").read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise InvalidInput(
            f"image index at {folder} is unreadable: {exc}", hint="rebuild the index"
        ) from exc
    rows = int(manifest["rows"])
    bits = tuple(int(b) for b in manifest["bits"])
    expected = sum((1 << b) + 1 for b in bits)
    dtypes = tuple(a.dtype.str for a in (hashes, owner, region, offsets, postings))
    if (
        dtypes != _DTYPES
        or bits != address_bits(rows)
        or hashes.shape != (rows, 32)
        or owner.shape != (rows,)
        or region.shape != (rows,)
        or offsets.shape != (expected,)
        or postings.shape != (len(bits), rows)
    ):
        raise InvalidInput(f"image index at {folder} is inconsistent", hint="rebuild the index")
    tables = HashTables(bits, offsets, postings)
    return ImageIndex.from_parts(ids, (hashes, owner, region), tables, thresholds)


def _floors(thresholds: ImageThresholds) -> list[int]:
    """The quality floors that decided which rows of each work were indexed."""
    return [thresholds.min_quality, thresholds.region_quality]
