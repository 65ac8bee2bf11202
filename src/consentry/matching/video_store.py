"""Save and load a :class:`VideoIndex`: its frame index and every work's segment times.

The segment hashes are an :class:`ImageIndex` folder (``frames/``,
memory-mapped on load); the times are two concatenated ``.npy`` arrays with
each work's length, and ``videos.json`` holds the ids, durations and layout.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from consentry.errors import InvalidInput
from consentry.fingerprint.video import VIDEO_SCHEME
from consentry.matching.folders import staging_folder, swap_in
from consentry.matching.image_store import load_image_index, save_image_index
from consentry.matching.video_index import VideoIndex, VideoThresholds

FORMAT = "consentry-video-index-v1"


def save_video_index(index: VideoIndex, path: str | Path) -> Path:
    """Write ``index`` (compacted first) to the folder ``path``, atomically replaced."""
    folder = Path(path)
    tmp = staging_folder(folder)
    save_image_index(index.frames, tmp / "frames")
    ids = list(index.times)
    parts = [index.times[w] for w in ids]
    empty = np.zeros(0, np.float32)
    np.save(tmp / "starts.npy", np.concatenate([p[0] for p in parts]) if parts else empty)
    np.save(tmp / "ends.npy", np.concatenate([p[1] for p in parts]) if parts else empty)
    np.save(tmp / "lengths.npy", np.array([len(p[0]) for p in parts], np.int64))
    meta = {
        "format": FORMAT,
        "scheme": VIDEO_SCHEME,
        "ids": ids,
        "durations": [p[2] for p in parts],
    }
    (tmp / "videos.json").write_text(json.dumps(meta), encoding="utf-8")
    return swap_in(tmp, folder)


def load_video_index(path: str | Path, thresholds: VideoThresholds | None = None) -> VideoIndex:
    """Open a folder written by :func:`save_video_index`; InvalidInput when unusable."""
    folder = Path(path)
    try:
        meta = json.loads((folder / "videos.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"no video index at {folder}: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("scheme") != VIDEO_SCHEME:
        raise InvalidInput(f"{folder} holds {meta.get('format')!r}; rebuild the video index")
    index = VideoIndex(thresholds)
    index.frames = load_image_index(folder / "frames")
    starts = np.load(folder / "starts.npy")
    ends = np.load(folder / "ends.npy")
    stops = np.cumsum(np.load(folder / "lengths.npy"))
    begins = stops - np.load(folder / "lengths.npy")
    for work_id, a, b, duration in zip(
        meta["ids"], begins.tolist(), stops.tolist(), meta["durations"], strict=True
    ):
        index.times[work_id] = (starts[a:b], ends[a:b], float(duration))
    return index
