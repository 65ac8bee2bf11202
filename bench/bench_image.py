"""Image near-copy fidelity and speed: consentry against pHash, dHash and PDQ on the dev set.

Needs ``bench/out/image-devset`` (``bench/image_devset.py``) and the bench extra
(``imagehash``, ``scipy``). Runs on one core (``sched_setaffinity``). Reports,
per matcher: recall per transform and false positives on unrelated photos, each
with a Clopper-Pearson 95% interval; precision over all reported matches;
consentry's fingerprinting rate against a decode-and-downscale-only pass; and
(``--million``, ``bench_image_million.py``) build time, query latency and RAM
per work of a 1,000,000-work index built from synthetic hashes.

    .venv/bin/python bench/bench_image.py [--million]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imagehash
import numpy as np
import pdqhash

import consentry.fingerprint.image as image_module
from bench_image_million import million
from benchlib import ci
from consentry.fingerprint.image import (
    load_image,
    load_query_image,
    query_fingerprint,
    work_fingerprint,
)
from consentry.matching import ImageIndex
from consentry.matching import image_index as index_module

Query = Callable[[bytes], set[str] | None]  # None: refused (low information)
PHASH_MAX, DHASH_MAX, PDQ_MAX = 8, 10, 31  # anchors' usual thresholds (of 64, 64, 256 bits)


def consentry_pipeline(works: dict[str, bytes], accepted: set[str]) -> Query:
    """Register as ``near.work_fingerprints`` does: a low-information work gets no near hashes.

    Fills ``accepted`` with the works the fingerprint accepts (PDQ quality >=
    ``MIN_QUALITY``), over which recall is also reported.
    """
    index = ImageIndex()
    for work_id, data in works.items():
        fp = work_fingerprint(data)
        if fp.quality >= image_module.MIN_QUALITY:
            index.add(work_id, fp)
            accepted.add(work_id)
    index.compact()

    def query(data: bytes) -> set[str] | None:
        result = index.query(query_fingerprint(data))
        return None if result.refused else {m.work_id for m in result.matches}

    return query


def imagehash_pipeline(works: dict[str, bytes], fn: Callable[..., object], limit: int) -> Query:
    def h(data: bytes) -> object:
        return fn(load_image(data))

    table = {w: h(d) for w, d in works.items()}

    def query(data: bytes) -> set[str]:
        q = h(data)
        return {w for w, v in table.items() if (q - v) <= limit}  # type: ignore[operator]

    return query


def pdq_pipeline(works: dict[str, bytes]) -> Query:
    def bits(data: bytes) -> np.ndarray:
        variants, _ = pdqhash.compute_dihedral(np.asarray(load_image(data), dtype=np.uint8))
        return np.stack([np.asarray(v, dtype=np.uint8) for v in variants])

    ids = list(works)
    table = np.stack([bits(works[w])[0] for w in ids])

    def query(data: bytes) -> set[str]:
        q = bits(data)
        dist = (table[:, None, :] != q[None, :, :]).sum(axis=2).min(axis=1)
        return {ids[i] for i in np.flatnonzero(dist <= PDQ_MAX)}

    return query


def evaluate(
    name: str,
    query: Query,
    pos: list[dict[str, str]],
    neg: list[dict[str, str]],
    root: Path,
    accepted: set[str],
) -> dict[str, object]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_accepted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    true_matches = false_matches = refused = 0
    for row in pos:
        got = query((root / row["file"]).read_bytes()) or set()
        per[row["transform"]][0] += row["work"] in got
        per[row["transform"]][1] += 1
        if row["work"] in accepted:
            per_accepted[row["transform"]][0] += row["work"] in got
            per_accepted[row["transform"]][1] += 1
        true_matches += row["work"] in got
        false_matches += len(got - {row["work"]})
    fp_items = 0
    fp_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in neg:
        found = query((root / row["file"]).read_bytes())
        refused += found is None
        hit = bool(found)
        fp_items += hit
        false_matches += len(found or ())
        fp_kind[row["kind"]][0] += hit
        fp_kind[row["kind"]][1] += 1
    reported = true_matches + false_matches
    return {
        "matcher": name,
        "recall": {t: {"k": k, "n": n, "ci": ci(k, n)} for t, (k, n) in per.items()},
        "recall_accepted": {
            t: {"k": k, "n": n, "ci": ci(k, n)} for t, (k, n) in per_accepted.items()
        },
        "fp": {
            "k": fp_items,
            "n": len(neg),
            "ci": ci(fp_items, len(neg)),
            "by_kind": dict(fp_kind),
        },
        "precision": true_matches / reported if reported else 1.0,
        "negatives_refused": refused,
    }


def speed(files: list[Path]) -> dict[str, float]:
    """Images per second, best of 3: decode-and-downscale only, then consentry's fingerprints.

    ``decode_only`` is :func:`load_query_image`, the decode a query makes (JPEG
    draft mode to about ``DECODE_SIZE``): the floor a query's fingerprint is
    compared with. ``load_image`` is the decode a work's fingerprint makes.
    """
    blobs = [p.read_bytes() for p in files]
    for data in blobs:  # warm the per-size PDQ kernels, as a long scan has them
        query_fingerprint(data)
    out: dict[str, float] = {}
    for label, fn in (
        ("decode_only", load_query_image),
        ("load_image", load_image),
        ("query_fp", query_fingerprint),
        ("work_fp", work_fingerprint),
    ):
        best = 0.0
        for _ in range(3 if label != "work_fp" else 1):
            t0 = time.perf_counter()
            for data in blobs:
                fn(data)
            best = max(best, len(blobs) / (time.perf_counter() - t0))
        out[f"{label}_per_s"] = round(best, 1)
    out["query_over_decode"] = round(out["decode_only_per_s"] / out["query_fp_per_s"], 2)
    return out


def _recall_table(matchers: list[dict[str, Any]], key: str) -> list[str]:
    lines = ["| transform | " + " | ".join(m["matcher"] for m in matchers) + " |"]
    lines.append("|---" * (len(matchers) + 1) + "|")
    for t in matchers[0][key]:
        cells = []
        for m in matchers:
            r = m[key][t]
            lo, hi = r["ci"]
            cells.append(f"{r['k'] / r['n']:.3f} [{lo:.3f}, {hi:.3f}] (n={r['n']})")
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    return lines


def report(results: dict[str, Any]) -> str:
    """The results as markdown: recall over all works and over accepted works, FP, precision."""
    matchers = results["matchers"]
    lines = [f"Recall over all {results['works']} works:", ""]
    lines += _recall_table(matchers, "recall")
    fps = []
    for m in matchers:
        f = m["fp"]
        fps.append(f"{f['k']}/{f['n']} [{f['ci'][0]:.4f}, {f['ci'][1]:.4f}]")
    lines.append("| **FP on unrelated** | " + " | ".join(fps) + " |")
    lines.append("| precision | " + " | ".join(f"{m['precision']:.4f}" for m in matchers) + " |")
    refused = " | ".join(str(m["negatives_refused"]) for m in matchers)
    lines.append("| negatives refused | " + refused + " |")
    if "recall_accepted" in matchers[0]:
        n = results.get("accepted_works", "?")
        lines += ["", f"Recall over the {n} works the fingerprint accepts (same run):", ""]
        lines += _recall_table(matchers, "recall_accepted")
    kinds = matchers[0]["fp"]["by_kind"]
    lines += ["", "| negatives | " + " | ".join(m["matcher"] for m in matchers) + " |"]
    lines.append("|---" * (len(matchers) + 1) + "|")
    for kind in kinds:
        cells = [f"{m['fp']['by_kind'][kind][0]}/{m['fp']['by_kind'][kind][1]}" for m in matchers]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=Path("bench/out/image-devset"))
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--report", action="store_true", help="print --out as markdown")
    parser.add_argument(
        "--min-quality",
        type=int,
        help="calibration: the PDQ quality floor for works and queries (default: the code's)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/out/image-results.json"))
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.out.read_text())))
        return
    os.sched_setaffinity(0, {0})  # one core
    if args.min_quality is not None:  # both places that read the floor
        image_module.MIN_QUALITY = args.min_quality
        index_module.MIN_QUALITY = args.min_quality  # type: ignore[attr-defined]
    rows = [json.loads(x) for x in (args.devset / "manifest.jsonl").read_text().splitlines()]
    works = {r["work"]: (args.devset / r["file"]).read_bytes() for r in rows if r["set"] == "works"}
    pos = [r for r in rows if r["set"] == "positives"]
    neg = [r for r in rows if r["set"] == "negatives"]
    accepted: set[str] = set()
    matchers: list[tuple[str, Callable[[], Query]]] = [
        ("consentry", lambda: consentry_pipeline(works, accepted)),
        ("pHash", lambda: imagehash_pipeline(works, imagehash.phash, PHASH_MAX)),
        ("dHash", lambda: imagehash_pipeline(works, imagehash.dhash, DHASH_MAX)),
        ("PDQ-dihedral", lambda: pdq_pipeline(works)),
    ]
    results: dict[str, object] = {"works": len(works), "positives": len(pos), "negatives": len(neg)}
    results["matchers"] = [
        evaluate(name, make(), pos, neg, args.devset, accepted) for name, make in matchers
    ]
    results["accepted_works"] = len(accepted)
    results["min_quality"] = image_module.MIN_QUALITY
    results["speed"] = speed([args.devset / r["file"] for r in rows[:: max(1, len(rows) // 200)]])
    if args.million:
        results["million"] = million()
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
