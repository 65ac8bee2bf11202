"""Video near copies: recall per transform, false positives, speed, against an anchor.

Reads the dev set built by ``bench/video_devset.py``; registers every work as
``consentry works add`` does (``near_video``: ``video-frames-v1`` +
``chromaprint-v1``) into a :class:`WorksIndex`, then searches every query
file with :meth:`WorksIndex.query_video`. Reported per transform: recall
(the expected work found), by which path (picture, soundtrack), the kind,
whether the excerpt offset is right (picture evidence within 1.5 s), with
Clopper-Pearson 95% intervals; false positives on the unrelated films.

Anchor, same files, same run: the first version's approach, codec keyframes
only (I-frames, at least 2 s apart), each hashed with PDQ, an item matching a
work when any of its keyframes is within 31 bits of any of the work's (no
time alignment). Speed: fingerprint + match per file against a decode-only
pass over the same files (PyAV, every frame, no conversion) and ``fpcalc``
alone.

"mirrored": picture matches whose evidence says the item is the work
flipped left-right (the query side hashes every frame both ways); the
closest-unrelated-frame margin counts both orientations.

Unrelated films are also counted by how they resemble the works (hard
negatives: a picture from a works' collection, music from a works' game).
The query files can be split over processes and the results merged (the
speed ratios then add up each process's own times):

    .venv/bin/python bench/bench_video.py [--devset bench/out/video-devset]
    .venv/bin/python bench/bench_video.py --devset D --shard 0/2 --json r0.json  # and 1/2
    .venv/bin/python bench/bench_video.py --merge r0.json r1.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any, cast

import av
import numpy as np

from benchlib import ci
from consentry.fingerprint.audio import audio_fingerprint_file
from consentry.fingerprint.near import NearFingerprint, near_video
from consentry.fingerprint.video import (
    VIDEO_SCHEME,
    decode_frames,
    frame_hash,
    frames_fingerprint,
    sample_frames,
)
from consentry.matching.works_index import WorksIndex

_POP = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint8)
ANCHOR_DISTANCE = 31


def keyframe_hashes(path: Path) -> np.ndarray:
    """The anchor's fingerprint: PDQ of the codec keyframes at least 2 s apart."""
    rows = [
        frame_hash(pixels)[0]
        for _, pixels in sample_frames(path, step=2.0, max_samples=900, pixel_budget=0)
    ]
    return np.stack(rows) if rows else np.zeros((0, 32), np.uint8)


def anchor_matches(item: np.ndarray, works: dict[str, np.ndarray]) -> set[str]:
    """Works with any keyframe within ``ANCHOR_DISTANCE`` bits of any of the item's."""
    found = set()
    for work_id, hashes in works.items():
        if len(item) and len(hashes):
            d = _POP[item[:, None, :] ^ hashes[None, :, :]].sum(axis=2, dtype=np.int32)
            if int(d.min()) <= ANCHOR_DISTANCE:
                found.add(work_id)
    return found


def decode_only(path: Path) -> None:
    """Decode every frame, convert none: the floor of any frame-based fingerprint."""
    with av.open(str(path)) as box:
        for _ in box.decode(video=0):
            pass


def closest(item: np.ndarray, works: np.ndarray) -> int:
    """The smallest Hamming distance between any item hash and any work hash."""
    if not len(item) or not len(works):
        return 256
    return int(_POP[item[:, None, :] ^ works[None, :, :]].sum(axis=2, dtype=np.int32).min())


def register(devset: Path, rows: list[dict]) -> tuple[WorksIndex, dict[str, np.ndarray], float]:
    """Every work in a fresh index (as registration does) and the anchor's keyframes."""
    index, anchor, seq, spent = WorksIndex(), {}, 0, 0.0
    segments = []
    for row in rows:
        if row["set"] != "work":
            continue
        path = devset / row["file"]
        t = time.perf_counter()
        near = near_video(path)
        spent += time.perf_counter() - t
        for scheme, data in sorted(near.items()):
            seq += 1
            index.add(seq, row["film"], NearFingerprint(scheme, data))
            if scheme == VIDEO_SCHEME:
                segments.append(decode_frames(data).hashes)
        anchor[row["film"]] = keyframe_hashes(path)
    index.video.compact()
    index.audio.compact()
    anchor["*segments*"] = np.concatenate(segments)
    return index, anchor, spent


def run(devset: Path, shard: tuple[int, int] = (0, 1)) -> dict[str, object]:
    rows = [
        json.loads(line)
        for manifest in sorted(devset.glob("manifest*.jsonl"))
        for line in manifest.read_text().splitlines()
    ]
    registered = {r["film"] for r in rows if r["set"] == "work"}
    # a film promoted to a work (video_devset.py --promote) is no longer unrelated
    rows = [r for r in rows if not (r["set"] == "negative" and r["film"] in registered)]
    index, anchor, register_s = register(devset, rows)
    all_segments = anchor.pop("*segments*")
    margins: dict[str, list[int]] = {"positive": [], "negative": []}
    stats: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timing = defaultdict(float)
    works = [r for r in rows if r["set"] == "work"]
    hard: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for done, row in enumerate(rows):
        if done % 50 == 0:
            print(f"{done}/{len(rows)} files", file=sys.stderr, flush=True)
        if row["set"] == "work" or done % shard[1] != shard[0]:
            continue
        path = devset / row["file"]
        t = time.perf_counter()
        result = index.query_video(path)
        timing["consentry"] += time.perf_counter() - t
        t = time.perf_counter()
        decode_only(path)
        timing["decode only"] += time.perf_counter() - t
        if row.get("has_sound"):
            t = time.perf_counter()
            audio_fingerprint_file(path)
            timing["fpcalc only"] += time.perf_counter() - t
        found_anchor = anchor_matches(keyframe_hashes(path), anchor)
        s = stats[(row["set"], row["transform"])]
        s["n"] += 1
        s["refused"] += int(not result.searched)
        s["sound"] += int(bool(row.get("has_sound")))
        if row["set"] == "negative":
            fp = frames_fingerprint(path, work=False)
            shown_and_mirrored = np.concatenate(
                [fp.hashes, fp.hashes[:0] if fp.mirrored is None else fp.mirrored]
            )
            margins["negative"].append(closest(shown_and_mirrored, all_segments))
            s["hit"] += int(bool(result.matches))
            s["picture"] += int(any("frames" in m.evidence for m in result.matches))
            s["soundtrack"] += int(any("soundtrack" in m.evidence for m in result.matches))
            s["anchor"] += int(bool(found_anchor))
            for label in hard_kinds(row, works):
                hard[label][0] += int(bool(result.matches))
                hard[label][1] += 1
            continue
        want = row["work"]
        mine = [m for m in result.matches if m.work_id == want]
        s["anchor"] += int(want in found_anchor)
        s["wrong"] += int(any(m.work_id != want for m in result.matches))
        if not mine:
            continue
        m = mine[0]
        s["hit"] += 1
        s[m.kind.value] += 1
        frames = m.evidence.get("frames")
        s["picture"] += int(frames is not None)
        if isinstance(frames, dict):
            margins["positive"].append(int(frames["max_distance"]))
            s["mirrored"] += int(bool(frames.get("mirrored")))
        s["soundtrack"] += int("soundtrack" in m.evidence)
        if isinstance(frames, dict):
            s["offset_ok"] += int(abs(frames["offset_s"] - row["work_offset_s"]) <= 1.5)
    return {
        "stats": stats,
        "timing": timing,
        "register_s": register_s,
        "works": len(index.video),
        "margins": margins,
        "hard": hard,
    }


def hard_kinds(row: dict[str, Any], works: list[dict[str, Any]]) -> list[str]:
    """Which ways an unrelated film resembles the registered ones (its hard-negative kinds)."""
    collections = {s for w in works for s in w.get("photo_sources", [])}
    games = {w.get("music_package") for w in works} - {None}
    kinds = ["all"]
    if collections & set(row.get("photo_sources", [])):
        kinds.append("a picture from a works' collection")
    if set(row.get("photo_sources", [])) <= {"wesnoth", "tuxpaint"}:
        kinds.append("Wesnoth / Tux Paint pictures only")
    if row.get("music_package") in games:
        kinds.append("music from a works' game package")
    return kinds


def report(out: dict[str, object]) -> None:
    stats = out["stats"]
    print(f"works registered: {out['works']} ({out['register_s']:.1f} s)")
    head = "| set | transform | n | recall / FP rate | 95% CI | picture | soundtrack (n with sound)"
    print(head + " | mirrored | near | excerpt | offset ok | anchor |")
    print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = defaultdict(lambda: [0, 0])
    for (kind, transform), s in sorted(stats.items()):
        lo, hi = ci(s["hit"], s["n"])
        print(
            f"| {kind} | {transform} | {s['n']} | {s['hit'] / s['n']:.3f} | {lo:.3f}-{hi:.3f} "
            f"| {s['picture']} | {s['soundtrack']} ({s['sound']}) | {s['mirrored']} "
            f"| {s['near']} | {s['excerpt']} "
            f"| {s['offset_ok'] if kind == 'positive' else '-'} | {s['anchor']} |"
        )
        totals[kind][0] += s["hit"]
        totals[kind][1] += s["n"]
    k, n = totals["negative"]
    lo, hi = ci(k, n)
    print(f"\nfalse positives: {k}/{n}, 95% CI {lo:.4f}-{hi:.4f}")
    k, n = totals["positive"]
    print(f"recall overall: {k}/{n} ({k / max(n, 1):.3f})")
    for label, (hk, hn) in sorted(cast(dict[str, list[int]], out["hard"]).items()):
        lo, hi = ci(hk, hn)
        print(f"  negatives, {label}: {hk}/{hn}, 95% CI {lo:.4f}-{hi:.4f}")
    wrong = sum(s["wrong"] for (kind, _), s in stats.items() if kind == "positive")
    others = n * (out["works"] - 1)
    lo, hi = ci(wrong, others)
    print(f"other works matched by positives: {wrong}/{others} pairs, 95% CI {lo:.4f}-{hi:.4f}")
    margins = out["margins"]
    if margins["positive"] and margins["negative"]:
        print(
            f"largest distance in a positive picture match: {max(margins['positive'])} bits; "
            f"closest unrelated frame to any work frame: {min(margins['negative'])} bits"
        )
    timing = out["timing"]
    print("\nspeed (all query files):")
    for name, seconds in timing.items():
        print(f"  {name}: {seconds:.1f} s")
    if timing.get("decode only"):
        floor = timing["decode only"] + timing.get("fpcalc only", 0.0)
        print(f"  consentry / decode only: {timing['consentry'] / timing['decode only']:.2f}x")
        print(f"  consentry / (decode + fpcalc): {timing['consentry'] / floor:.2f}x")


def merge(parts: list[dict[str, Any]]) -> dict[str, object]:
    """One result from the shards' JSON results (counts and times added up)."""
    stats: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timing: dict[str, float] = defaultdict(float)
    hard: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    margins: dict[str, list[int]] = {"positive": [], "negative": []}
    for part in parts:
        for key, counts in part["stats"]:
            for name, value in counts.items():
                stats[tuple(key)][name] += value
        for name, value in part["timing"].items():
            timing[name] += value
        for label, (k, n) in part["hard"].items():
            hard[label][0] += k
            hard[label][1] += n
        for kind in margins:
            margins[kind] += part["margins"][kind]
    first = parts[0]
    return {
        "stats": stats,
        "timing": timing,
        "register_s": first["register_s"],
        "works": first["works"],
        "margins": margins,
        "hard": hard,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=Path("bench/out/video-devset"))
    parser.add_argument("--shard", default="0/1", help="i/k: query the files n with n %% k == i")
    parser.add_argument("--json", type=Path, help="write this shard's result here, not a report")
    parser.add_argument("--merge", type=Path, nargs="*", help="report the shards' JSON results")
    args = parser.parse_args()
    if args.merge:
        report(merge([json.loads(p.read_text()) for p in args.merge]))
        return
    index, count = (int(x) for x in args.shard.split("/"))
    out = run(args.devset, (index, count))
    if args.json:
        stats = cast(dict[tuple[str, str], dict[str, int]], out["stats"])
        out["stats"] = [[list(k), dict(v)] for k, v in stats.items()]
        args.json.write_text(json.dumps(out))
    else:
        report(out)


if __name__ == "__main__":
    main()
