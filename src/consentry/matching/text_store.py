"""Saving and loading a :class:`TextIndex` as a folder of ``.npy`` files.

``hashes.npy``, ``works.npy`` and ``offsets.npy`` (the postings, sorted by
hash) are memory-mapped on load, so opening an index of a million works reads
only its small per-work tables: ``ids.txt`` (one work id a line), ``alive.npy``,
``shingles.npy`` and ``digests.txt`` (the ``text-v1`` hash or ``-``).
``manifest.json`` names the format and the fingerprint scheme; an index
written with another scheme is refused rather than compared unlike with unlike.
The folder is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from consentry.errors import InvalidInput, NotFound
from consentry.fingerprint.text import SAMPLE, SHINGLE, TEXT_SHINGLE_SCHEME
from consentry.matching.folders import staging_folder, swap_in
from consentry.matching.text_index import TextIndex, TextThresholds
from consentry.matching.text_postings import Postings

FORMAT = "consentry-text-index"
VERSION = 1
_ARRAYS = ("hashes", "works", "offsets")


def save_text_index(index: TextIndex, path: str | Path) -> Path:
    """Write ``index`` (compacted first) to the folder ``path``, replacing it whole."""
    target = Path(path)
    index.compact()
    tmp = staging_folder(target)
    n = len(index.ids)
    for name, array in zip(_ARRAYS, index.postings.main, strict=True):
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(array))
    np.save(tmp / "alive.npy", index.alive[:n])
    np.save(tmp / "shingles.npy", index.shingles[:n])
    (tmp / "ids.txt").write_text("".join(f"{i}\n" for i in index.ids), encoding="utf-8")
    digests = "".join(f"{d or '-'}\n" for d in index.digests)
    (tmp / "digests.txt").write_text(digests, encoding="ascii")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "scheme": TEXT_SHINGLE_SCHEME,
        "shingle": SHINGLE,
        "sample": SAMPLE,
        "works": len(index),
        "postings": len(index.postings),
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return swap_in(tmp, target)


def load_text_index(
    path: str | Path, *, mmap: bool = True, thresholds: TextThresholds | None = None
) -> TextIndex:
    """Open an index folder written by :func:`save_text_index` (postings memory-mapped)."""
    folder = Path(path)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise NotFound(f"no text index at {folder}", hint="build it from the registry") from exc
    expected = (FORMAT, VERSION, TEXT_SHINGLE_SCHEME, SHINGLE, SAMPLE)
    found = tuple(manifest.get(k) for k in ("format", "version", "scheme", "shingle", "sample"))
    if found != expected:
        raise InvalidInput(
            f"text index at {folder} is {found}, this consentry reads {expected}",
            hint="rebuild the index from the registry",
        )
    hashes, works, offsets = (
        np.load(folder / f"{a}.npy", mmap_mode="r" if mmap else None) for a in _ARRAYS
    )
    index = TextIndex(thresholds)
    index.postings = Postings((hashes, works, offsets))
    index.ids = (folder / "ids.txt").read_text(encoding="utf-8").splitlines()
    index.alive = np.array(np.load(folder / "alive.npy"), dtype=np.bool_)
    index.shingles = np.array(np.load(folder / "shingles.npy"), dtype=np.uint32)
    digests = (folder / "digests.txt").read_text(encoding="ascii").splitlines()
    index.digests = [None if d == "-" else d for d in digests]
    for n, (work_id, digest) in enumerate(zip(index.ids, index.digests, strict=True)):
        if index.alive[n]:
            index.number[work_id] = n
            if digest is not None:
                index.by_content.setdefault(digest, []).append(n)
    return index
