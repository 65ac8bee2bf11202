"""What hashing query frames mirrored too costs: the previous query path against this one.

One process, the same files, each file through both in turn (which goes first
alternates, so that neither always finds the file cached): the previous
``fingerprint/video.py`` (``pdqhash`` of each sampled frame as shown, one
orientation matched), loaded from a copy of it, against this one (the numpy
PDQ of each frame shown and mirrored, both orientations aligned), both
matched against the same :class:`VideoIndex` of the dev set's works; a
decode-only pass and ``fpcalc`` on the same files give the floor the ratios
are of (as ``bench_video.py`` reports them). Every ``--every``-th query file.

    git show 67c0c7c:src/consentry/fingerprint/video.py > /tmp/video_before.py
    .venv/bin/python bench/video_mirror_ab.py --before /tmp/video_before.py --every 3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

from bench_video import decode_only
from consentry.fingerprint import video
from consentry.fingerprint.audio import audio_fingerprint_file
from consentry.matching.video_index import VideoIndex


def load(path: Path) -> ModuleType:
    """The previous video fingerprint module, imported from ``path``."""
    spec = importlib.util.spec_from_file_location("video_before", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["video_before"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def before(module: ModuleType, path: Path, index: VideoIndex) -> tuple[float, float]:
    """The previous query path: its fingerprint (shown only), matched in one orientation;
    the seconds each took."""
    t = time.perf_counter()
    fp = module.frames_fingerprint(path, work=False)
    mid = time.perf_counter()
    index.query(video.VideoFingerprint(fp.hashes, fp.starts, fp.ends, fp.duration, fp.informative))
    return mid - t, time.perf_counter() - mid


def after(path: Path, index: VideoIndex) -> tuple[float, float]:
    """This query path: shown and mirrored hashes, both orientations aligned; the seconds."""
    t = time.perf_counter()
    fp = video.frames_fingerprint(path, work=False)
    mid = time.perf_counter()
    index.query(fp)
    return mid - t, time.perf_counter() - mid


def floor(path: Path) -> tuple[float, float]:
    """A decode-only pass and ``fpcalc`` on ``path``: the seconds each took."""
    t = time.perf_counter()
    decode_only(path)
    mid = time.perf_counter()
    audio_fingerprint_file(path)
    return mid - t, time.perf_counter() - mid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=Path("bench/out/video-devset-40"))
    parser.add_argument("--before", type=Path, required=True, help="the previous video.py")
    parser.add_argument("--every", type=int, default=3)
    args = parser.parse_args()
    old = load(args.before)
    rows = [
        json.loads(line)
        for manifest in sorted(args.devset.glob("manifest*.jsonl"))
        for line in manifest.read_text().splitlines()
    ]
    index = VideoIndex()
    for row in rows:
        if row["set"] == "work":
            index.add(row["film"], video.frames_fingerprint(args.devset / row["file"]))
    index.compact()
    files = [args.devset / r["file"] for r in rows if r["set"] != "work"][:: args.every]
    spent: dict[str, float] = defaultdict(float)
    for n, path in enumerate(files):
        if n % 2:
            new_times = after(path, index)
            old_times = before(old, path, index)
        else:
            old_times = before(old, path, index)
            new_times = after(path, index)
        for key, (fingerprint_s, match_s) in (("before", old_times), ("after", new_times)):
            spent[f"{key} fingerprint"] += fingerprint_s
            spent[f"{key} match"] += match_s
        decode_s, fpcalc_s = floor(path)
        spent["decode only"] += decode_s
        spent["fpcalc only"] += fpcalc_s
    base = spent["decode only"] + spent["fpcalc only"]
    print(f"{len(files)} files: " + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()))
    for name in ("before", "after"):
        total = spent[f"{name} fingerprint"] + spent[f"{name} match"]
        print(f"  frames path {name} / (decode + fpcalc): {total / base:.3f}x")
    print(
        f"  index queries + alignment, after / before: "
        f"{spent['after match'] / spent['before match']:.2f}x"
    )


if __name__ == "__main__":
    main()
