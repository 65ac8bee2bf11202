"""Query fingerprint speed against the decode, this tree's code against a git revision's.

Times, in one process and interleaved (one pass of each per round, CPU time,
best of ``--rounds``): ``load_query_image`` alone (the decode-and-downscale
floor), the query fingerprint of ``--base`` (``git show BASE:...image.py`` and
``image_pdq.py`` loaded as separate modules) and this tree's. First checks
that both give the same hashes and quality for every file. Two sets: the small
scan JPEGs (``bench/out/scan-images-10000/000``, 300-600 px crops) and the
image dev set (``bench/out/image-devset``, every ``len // 200``-th manifest row
as ``bench_image.py`` takes them). Run it niced, on one core:

    nice -n 10 .venv/bin/python bench/bench_image_query.py [--base HEAD] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from consentry.fingerprint import image as current
from consentry.fingerprint.image import load_query_image

ROOT = Path(__file__).resolve().parents[1]
SCAN = ROOT / "bench/out/scan-images-10000/000"
DEVSET = ROOT / "bench/out/image-devset"


def _module(name: str, base: str, path: str) -> types.ModuleType:
    source = subprocess.run(
        ["git", "show", f"{base}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{base}:{path}", "exec"), module.__dict__)
    return module


def base_query(base: str) -> Callable[[bytes], Any]:
    """``query_fingerprint`` as it is at git revision ``base``, with that revision's PDQ."""
    pdq = _module("base_image_pdq", base, "src/consentry/fingerprint/image_pdq.py")
    image = _module("base_image", base, "src/consentry/fingerprint/image.py")
    setattr(image, "image_pdq", pdq)  # noqa: B010 (its functions look it up at call time)
    query: Callable[[bytes], Any] = image.query_fingerprint
    return query


def timed(
    blobs: list[bytes], passes: dict[str, Callable[[bytes], Any]], rounds: int
) -> dict[str, float]:
    """Images per second (CPU time, best of ``rounds``) of each pass, interleaved per round."""
    for data in blobs:  # warm the per-size kernels, as a long scan has them
        for fn in passes.values():
            fn(data)
    best = dict.fromkeys(passes, 0.0)
    for _ in range(rounds):
        for label, fn in passes.items():
            t0 = time.process_time()
            for data in blobs:
                fn(data)
            best[label] = max(best[label], len(blobs) / (time.process_time() - t0))
    out: dict[str, float] = {f"{k}_per_s": round(v, 1) for k, v in best.items()}
    for label in passes:
        if label != "decode":
            out[f"{label}_over_decode"] = round(best["decode"] / best[label], 2)
    return out


def identical(blobs: list[bytes], base: Callable[[bytes], Any]) -> int:
    """How many files give the same hashes and quality in both versions (should be all)."""
    same = 0
    for data in blobs:
        old, new = base(data), current.query_fingerprint(data)
        same += int(np.array_equal(old.hashes, new.hashes) and old.quality == new.quality)
    return same


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", default="HEAD")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    os.sched_setaffinity(0, {0})  # one core
    rows = [json.loads(x) for x in (DEVSET / "manifest.jsonl").read_text().splitlines()]
    sets = {
        "scan_small": sorted(SCAN.glob("*.jpg")),
        "devset": [DEVSET / r["file"] for r in rows[:: max(1, len(rows) // 200)]],
    }
    base = base_query(args.base)
    passes = {"decode": load_query_image, "before": base, "after": current.query_fingerprint}
    results: dict[str, Any] = {"base": args.base, "rounds": args.rounds}
    for name, files in sets.items():
        blobs = [p.read_bytes() for p in files]
        results[name] = {"files": len(blobs), "identical": identical(blobs, base)}
        results[name] |= timed(blobs, passes, args.rounds)
        print(json.dumps({name: results[name]}), flush=True)
    (ROOT / "bench/out/image-query-speed.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
