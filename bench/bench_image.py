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

from bench_image_million import million
from benchlib import ci
from consentry.fingerprint.image import (
    QUERY_TRIMMED,
    ImageFingerprint,
    load_image,
    load_query_image,
    query_fingerprint,
    work_fingerprint,
)
from consentry.matching import ImageIndex
from consentry.matching.image_index import QUERY_ORIENTATIONS, ImageThresholds

Query = Callable[[bytes], set[str] | None]  # None: refused (low information)
PHASH_MAX, DHASH_MAX, PDQ_MAX = 8, 10, 31  # anchors' usual thresholds (of 64, 64, 256 bits)


class Consentry:
    """consentry as the registry runs it, and how close each query came to each work.

    The index picks a work's rows by its PDQ quality; ``accepted`` are the
    works indexed by every row (quality >= ``thresholds.region_quality``),
    over which recall is also reported; works from ``min_quality`` up to that
    are indexed by their whole picture only. :meth:`distance` is the index's
    rule by brute force (every pairing it would allow, no threshold), so that
    a miss and the closest unrelated item can be told in bits.
    """

    def __init__(self, works: dict[str, bytes], thresholds: ImageThresholds) -> None:
        self.index = ImageIndex(thresholds)
        self.held: dict[str, tuple[np.ndarray, bool]] = {}
        self.quality: dict[str, int] = {}
        for work_id, data in works.items():
            fp = work_fingerprint(data)
            self.quality[work_id] = fp.quality
            if self.index.add(work_id, fp):
                whole_only = fp.quality < thresholds.region_quality
                self.held[work_id] = (fp.hashes[:1] if whole_only else fp.hashes, whole_only)
        self.accepted = {w for w, (_, whole_only) in self.held.items() if not whole_only}
        self.index.compact()
        self.last: ImageFingerprint | None = None  # the last query's fingerprint

    def __call__(self, data: bytes) -> set[str] | None:
        self.last = query_fingerprint(data)
        result = self.index.query(self.last)
        return None if result.refused else {m.work_id for m in result.matches}

    def distance(self, work_id: str) -> int:
        """The closest pairing of the last query with ``work_id`` that the index allows."""
        if work_id not in self.held or self.last is None:
            return 256
        hashes, whole_only = self.held[work_id]
        query = self.last.hashes
        if whole_only:
            query = np.concatenate([query[:QUERY_ORIENTATIONS], query[QUERY_TRIMMED:]])
        bits = np.unpackbits(query[:, None, :] ^ hashes[None, :, :], axis=2)
        return int(bits.sum(axis=2).min())

    def closest(self) -> tuple[int, str]:
        """The work the last query came closest to, and how close."""
        return min((self.distance(w), w) for w in self.held)


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
    misses: list[dict[str, object]] = []
    for row in pos:
        got = query((root / row["file"]).read_bytes()) or set()
        if isinstance(query, Consentry) and row["work"] in query.held and row["work"] not in got:
            misses.append(_miss(query, row))
        per[row["transform"]][0] += row["work"] in got
        per[row["transform"]][1] += 1
        if row["work"] in accepted:
            per_accepted[row["transform"]][0] += row["work"] in got
            per_accepted[row["transform"]][1] += 1
        true_matches += row["work"] in got
        false_matches += len(got - {row["work"]})
    fp_items = 0
    fp_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    closest: tuple[int, str, str] = (257, "", "")
    for row in neg:
        found = query((root / row["file"]).read_bytes())
        if isinstance(query, Consentry) and found is not None:
            closest = min(closest, (*query.closest(), row["file"]))
        refused += found is None
        hit = bool(found)
        fp_items += hit
        false_matches += len(found or ())
        fp_kind[row["kind"]][0] += hit
        fp_kind[row["kind"]][1] += 1
    reported = true_matches + false_matches
    extra: dict[str, object] = {}
    if isinstance(query, Consentry):
        extra["misses"] = misses
        extra["closest_unrelated"] = dict(zip(("distance", "work", "item"), closest, strict=True))
    return extra | {
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


def _miss(query: Consentry, row: dict[str, str]) -> dict[str, object]:
    """A copy of an indexed work that was not found: how close it came, and the qualities."""
    assert query.last is not None
    return {
        "transform": row["transform"],
        "work": row["work"],
        "work_quality": query.quality[row["work"]],
        "copy_quality": query.last.quality,
        "distance": query.distance(row["work"]),
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
        floor = results.get("region_quality", "?")
        lines += [
            "",
            f"Recall over the {n} works indexed by every row (PDQ quality >= {floor}; same run):",
            "",
        ]
        lines += _recall_table(matchers, "recall_accepted")
    kinds = matchers[0]["fp"]["by_kind"]
    lines += ["", "| negatives | " + " | ".join(m["matcher"] for m in matchers) + " |"]
    lines.append("|---" * (len(matchers) + 1) + "|")
    for kind in kinds:
        cells = [f"{m['fp']['by_kind'][kind][0]}/{m['fp']['by_kind'][kind][1]}" for m in matchers]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines + _misses(matchers[0])) + "\n"


def _misses(ours: dict[str, Any]) -> list[str]:
    """consentry's closest unrelated item and every copy of an indexed work it missed."""
    if "misses" not in ours:
        return []
    c = ours["closest_unrelated"]
    lines = [
        "",
        f"Closest unrelated item: {c['distance']} bits ({c['item']} to `{c['work']}`).",
        "",
    ]
    lines += [
        "| transform | work | work quality | copy quality | distance |",
        "|---|---|---|---|---|",
    ]
    for m in sorted(ours["misses"], key=lambda m: (m["transform"], m["work"])):
        lines.append(
            f"| {m['transform']} | `{m['work']}` | {m['work_quality']} | {m['copy_quality']} "
            f"| {m['distance']} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=Path("bench/out/image-devset"))
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--report", action="store_true", help="print --out as markdown")
    parser.add_argument(
        "--min-quality",
        type=int,
        default=ImageThresholds.min_quality,
        help="calibration: PDQ quality under which queries are refused and works not indexed",
    )
    parser.add_argument(
        "--region-quality",
        type=int,
        default=ImageThresholds.region_quality,
        help="calibration: PDQ quality from which a work is indexed by every row",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/out/image-results.json"))
    args = parser.parse_args()
    if args.report:
        print(report(json.loads(args.out.read_text())))
        return
    os.sched_setaffinity(0, {0})  # one core
    thresholds = ImageThresholds(min_quality=args.min_quality, region_quality=args.region_quality)
    rows = [json.loads(x) for x in (args.devset / "manifest.jsonl").read_text().splitlines()]
    works = {r["work"]: (args.devset / r["file"]).read_bytes() for r in rows if r["set"] == "works"}
    pos = [r for r in rows if r["set"] == "positives"]
    neg = [r for r in rows if r["set"] == "negatives"]
    ours = Consentry(works, thresholds)
    accepted = ours.accepted
    matchers: list[tuple[str, Callable[[], Query]]] = [
        ("consentry", lambda: ours),
        ("pHash", lambda: imagehash_pipeline(works, imagehash.phash, PHASH_MAX)),
        ("dHash", lambda: imagehash_pipeline(works, imagehash.dhash, DHASH_MAX)),
        ("PDQ-dihedral", lambda: pdq_pipeline(works)),
    ]
    results: dict[str, object] = {"works": len(works), "positives": len(pos), "negatives": len(neg)}
    results["matchers"] = [
        evaluate(name, make(), pos, neg, args.devset, accepted) for name, make in matchers
    ]
    results["accepted_works"] = len(accepted)
    results["min_quality"] = thresholds.min_quality
    results["region_quality"] = thresholds.region_quality
    results["speed"] = speed([args.devset / r["file"] for r in rows[:: max(1, len(rows) // 200)]])
    if args.million:
        results["million"] = million()
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
