"""How close unrelated audio comes to the agreement-beyond-chance bar, searched widely.

The bench (``bench_audio.py``) counts matches under the real rule, which
shows only the items above it. This scores every aligned run of >= 7 s that
a wide search finds (32 candidate offsets per work, 1 vote, ``similar`` 0.5,
no ``beyond_chance`` bar) for each unrelated item of the dev set, and prints
the distribution of each item's best agreement beyond chance and the items
nearest the bar, so the margin below ``AudioThresholds.beyond_chance`` can
be read. Pin to one core:

    nice -n 10 taskset -c 0 .venv/bin/python bench/audio_margin.py \
        --devset bench/out/audio-devset-80b
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from consentry.errors import UnreadableContent
from consentry.fingerprint.audio import audio_fingerprint_file
from consentry.matching.audio_index import AudioIndex, AudioThresholds

WIDE = AudioThresholds(similar=0.5, beyond_chance=-1.0, candidates=32, min_votes=1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--devset", type=Path, default=Path("bench/out/audio-devset"))
    ap.add_argument("--top", type=int, default=8, help="how many of the nearest items to list")
    args = ap.parse_args()
    rows = [json.loads(line) for line in (args.devset / "manifest.jsonl").open()]
    index = AudioIndex(WIDE)
    for r in rows:
        if r["role"] == "work":
            index.add(r["id"], audio_fingerprint_file(Path(r["file"])))
    index.compact()
    best: list[tuple[float, float, float, str, str]] = []
    negatives = 0
    for r in rows:
        if r["role"] != "negative":
            continue
        negatives += 1
        try:
            matches = index.query(audio_fingerprint_file(Path(r["file"]))).matches
        except UnreadableContent:
            continue
        if matches:
            m = max(matches, key=lambda m: float(str(m.evidence["beyond_chance"])))
            kappa = float(str(m.evidence["beyond_chance"]))
            best.append(
                (kappa, m.score, float(str(m.evidence["duration_s"])), r["file"], m.work_id)
            )
    kappas = np.array([b[0] for b in best])
    print(f"{negatives} unrelated items; {len(best)} have an aligned run of >= 7 s")
    if len(kappas):
        q = np.quantile(kappas, [0.5, 0.9, 0.99])
        print(f"best beyond chance per item: median {q[0]:.3f}, p90 {q[1]:.3f}, p99 {q[2]:.3f}")
    print(f"bar: beyond_chance >= {AudioThresholds().beyond_chance} (with similar >= 0.72)")
    print("| beyond chance | similarity | seconds | item | work |")
    print("|---:|---:|---:|---|---|")
    for kappa, sim, seconds, item, work in sorted(best, reverse=True)[: args.top]:
        print(f"| {kappa:.3f} | {sim:.3f} | {seconds:.1f} | {item} | {work} |")


if __name__ == "__main__":
    main()
