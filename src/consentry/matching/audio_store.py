"""Save and load an :class:`AudioIndex` as a folder of ``.npy`` arrays.

The postings (value, work, frame) and all works' codes concatenated are
memory-mapped on load, so opening an index costs RAM only for the work ids;
``ids.json`` holds the ids and the version of the layout. The index is
compacted before saving, so tombstones never reach disk.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import numpy as np

from consentry.errors import InvalidInput
from consentry.fingerprint.audio import AUDIO_SCHEME
from consentry.matching.audio_index import AudioIndex, AudioThresholds
from consentry.matching.folders import staging_folder, swap_in

FORMAT = "consentry-audio-index-v1"
_ARRAYS = ("keys", "works", "frames")


def save_audio_index(index: AudioIndex, path: str | Path) -> Path:
    """Write ``index`` (compacted first) to the folder ``path``, atomically replaced."""
    index.compact()
    folder = Path(path)
    tmp = staging_folder(folder)
    for name in _ARRAYS:
        np.save(tmp / f"{name}.npy", np.ascontiguousarray(getattr(index, name)))
    lengths = np.array([len(c) for c in index.codes], np.int64)
    np.save(tmp / "lengths.npy", lengths)
    codes = np.concatenate(index.codes) if index.codes else np.zeros(0, np.uint32)
    np.save(tmp / "codes.npy", codes)
    meta = {"format": FORMAT, "scheme": AUDIO_SCHEME, "ids": index.ids}
    (tmp / "ids.json").write_text(json.dumps(meta), encoding="utf-8")
    return swap_in(tmp, folder)


def load_audio_index(
    path: str | Path, *, mmap: bool = True, thresholds: AudioThresholds | None = None
) -> AudioIndex:
    """Open an index written by :func:`save_audio_index` (memory-mapped by default)."""
    folder = Path(path)
    try:
        meta = json.loads((folder / "ids.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"no audio index at {folder}: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("scheme") != AUDIO_SCHEME:
        raise InvalidInput(f"{folder} holds {meta.get('format')!r}; rebuild the audio index")
    mode: Literal["r"] | None = "r" if mmap else None
    index = AudioIndex(thresholds)
    index.keys, index.works, index.frames = (
        np.load(folder / f"{a}.npy", mmap_mode=mode) for a in _ARRAYS
    )
    codes = np.load(folder / "codes.npy", mmap_mode=mode)
    lengths = np.load(folder / "lengths.npy")
    ends = np.cumsum(lengths)
    starts = ends - lengths
    index.codes = [codes[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    index.ids = list(meta["ids"])
    index.number = {w: n for n, w in enumerate(index.ids)}
    index.alive = [True] * len(index.ids)
    index.indexed = len(index.ids)
    return index
