"""Image near-copy fidelity and speed: consentry against pHash, dHash and PDQ on the dev set.

Needs ``bench/out/image-devset`` (``bench/image_devset.py``) and the bench extra
(``imagehash``, ``scipy``). Runs on one core (``sched_setaffinity``). Reports,
per matcher: recall per transform and false positives on unrelated photos, each
with a Clopper-Pearson 95% interval; precision over all reported matches;
consentry's fingerprinting rate against a decode-and-downscale-only pass; and
(``--million``) query latency and RAM per work of a 1,000,000-work index built
from synthetic hashes.

    .venv/bin/python bench/bench_image.py [--million]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import imagehash
import numpy as np
import pdqhash

from benchlib import ci, rss_anon
from benchlib import million_child as run_million_child
from consentry.fingerprint.image import (
    WORK_ANGLES,
    WORK_REGIONS,
    load_image,
    query_fingerprint,
    work_fingerprint,
)
from consentry.matching import ImageIndex, load_image_index, save_image_index

Query = Callable[[bytes], set[str] | None]  # None: refused (low information)
PHASH_MAX, DHASH_MAX, PDQ_MAX = 8, 10, 31  # anchors' usual thresholds (of 64, 64, 256 bits)


def consentry_pipeline(works: dict[str, bytes]) -> Query:
    index = ImageIndex()
    for work_id, data in works.items():
        index.add(work_id, work_fingerprint(data))
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
    name: str, query: Query, pos: list[dict[str, str]], neg: list[dict[str, str]], root: Path
) -> dict[str, object]:
    per: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    true_matches = false_matches = refused = 0
    for row in pos:
        got = query((root / row["file"]).read_bytes()) or set()
        per[row["transform"]][0] += row["work"] in got
        per[row["transform"]][1] += 1
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
    """Images per second: decode-and-downscale only, consentry work and query fingerprints."""
    blobs = [p.read_bytes() for p in files]
    out: dict[str, float] = {}
    for label, fn in (
        ("decode_only", load_image),
        ("work_fp", work_fingerprint),
        ("query_fp", query_fingerprint),
    ):
        best = 0.0
        for _ in range(2):
            t0 = time.perf_counter()
            for data in blobs:
                fn(data)
            best = max(best, len(blobs) / (time.perf_counter() - t0))
        out[f"{label}_per_s"] = round(best, 1)
    return out


def million(n: int = 1_000_000) -> dict[str, object]:
    """A synthetic index of ``n`` works x 19 random hashes (as many as a real work has)."""
    rng = np.random.default_rng(3)
    regions = len(WORK_REGIONS) + len(WORK_ANGLES)
    index = ImageIndex()
    index.hashes = rng.integers(0, 256, (n * regions, 32), dtype=np.uint8)
    index.owner = np.repeat(np.arange(n, dtype=np.int64), regions)
    index.region = np.tile(np.arange(regions, dtype=np.int64), n)
    index.ids = [f"synthetic-{i}" for i in range(n)]
    index.number = {w: i for i, w in enumerate(index.ids)}
    folder = Path(tempfile.mkdtemp(prefix="consentry-image-million-")) / "index"
    save_image_index(index, folder)
    del index
    return {"works": n, "hashes_per_work": regions, **run_million_child(__file__, folder)}


def million_child(folder: str) -> None:
    before = rss_anon()
    t0 = time.perf_counter()
    index = load_image_index(Path(folder))
    load_s = time.perf_counter() - t0
    ram = rss_anon() - before
    root = Path("bench/out/image-devset")
    rows = [json.loads(x) for x in (root / "manifest.jsonl").read_text().splitlines()]
    queries = [query_fingerprint((root / r["file"]).read_bytes()) for r in rows[:60]]
    index.query(queries[0])
    lat = []
    for fp in queries * 2:
        t = time.perf_counter()
        index.query(fp)
        lat.append(time.perf_counter() - t)
    size = sum(f.stat().st_size for f in Path(folder).iterdir())
    print(
        json.dumps(
            {
                "load_s": round(load_s, 2),
                "ram_bytes_per_work": round(ram / len(index.ids)),
                "index_bytes_on_disk": size,
                "query_ms_median": round(1000 * float(np.median(lat)), 2),
                "query_ms_p95": round(1000 * float(np.percentile(lat, 95)), 2),
            }
        )
    )


def report(results: dict[str, Any]) -> str:
    """The results as markdown tables: recall per transform, false positives, precision."""
    matchers = results["matchers"]
    head = "| transform | " + " | ".join(m["matcher"] for m in matchers) + " |"
    lines = [head, "|---" * (len(matchers) + 1) + "|"]
    for t in matchers[0]["recall"]:
        cells = []
        for m in matchers:
            r = m["recall"][t]
            lo, hi = r["ci"]
            cells.append(f"{r['k'] / r['n']:.3f} [{lo:.3f}, {hi:.3f}] (n={r['n']})")
        lines.append(f"| {t} | " + " | ".join(cells) + " |")
    fps = []
    for m in matchers:
        f = m["fp"]
        fps.append(f"{f['k']}/{f['n']} [{f['ci'][0]:.4f}, {f['ci'][1]:.4f}]")
    lines.append("| **FP on unrelated** | " + " | ".join(fps) + " |")
    lines.append("| precision | " + " | ".join(f"{m['precision']:.4f}" for m in matchers) + " |")
    refused = " | ".join(str(m["negatives_refused"]) for m in matchers)
    lines.append("| negatives refused | " + refused + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=Path("bench/out/image-devset"))
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--million-child")
    parser.add_argument("--report", action="store_true", help="print --out as markdown")
    parser.add_argument("--out", type=Path, default=Path("bench/out/image-results.json"))
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.out.read_text())))
        return
    if args.million_child:
        million_child(args.million_child)
        return
    os.sched_setaffinity(0, {0})  # one core
    rows = [json.loads(x) for x in (args.devset / "manifest.jsonl").read_text().splitlines()]
    works = {r["work"]: (args.devset / r["file"]).read_bytes() for r in rows if r["set"] == "works"}
    pos = [r for r in rows if r["set"] == "positives"]
    neg = [r for r in rows if r["set"] == "negatives"]
    matchers: list[tuple[str, Callable[[], Query]]] = [
        ("consentry", lambda: consentry_pipeline(works)),
        ("pHash", lambda: imagehash_pipeline(works, imagehash.phash, PHASH_MAX)),
        ("dHash", lambda: imagehash_pipeline(works, imagehash.dhash, DHASH_MAX)),
        ("PDQ-dihedral", lambda: pdq_pipeline(works)),
    ]
    results: dict[str, object] = {"works": len(works), "positives": len(pos), "negatives": len(neg)}
    results["matchers"] = [evaluate(name, make(), pos, neg, args.devset) for name, make in matchers]
    results["speed"] = speed([args.devset / r["file"] for r in rows[:100]])
    if args.million:
        results["million"] = million()
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
