"""Text matching: recall per transform, false positives, speed; consentry vs MinHash-LSH anchors.

Needs the dev set (``bench/text_devset.py``). Anchors, in the same run on the
same set: datasketch MinHashLSH and rensa RMinHashLSH at Jaccard 0.8 with 128
permutations over word 5-gram shingles of lower-cased words (datatrove's
defaults). Speed is fingerprint + match of every positive and negative, one
process, one core; "consentry numpy reference" is the same matcher with the
compiled text kernel off (bit-identical results, for the kernel's own gain).
``--million`` also times a synthetic 1,000,000-work index.

    .venv/bin/python bench/bench_text.py [--devset bench/out/text-devset] [--million]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchlib import ci, rss_anon
from benchlib import million_child as run_million_child
from consentry.fingerprint import kernel
from consentry.matching import TextIndex, load_text_index, save_text_index
from consentry.matching.text_postings import Postings

Query = Callable[[str], set[str]]


def words5(text: str) -> list[str]:
    w = re.findall(r"\w+", text.lower())
    return [" ".join(w[i : i + 5]) for i in range(max(1, len(w) - 4))]


def consentry_pipeline(works: list[dict[str, str]]) -> Query:
    index = TextIndex()
    for w in works:
        index.add_text(w["id"], w["text"])
    return lambda text: {m.work_id for m in index.query(text).matches}


def consentry_numpy_pipeline(works: list[dict[str, str]]) -> Query:
    """consentry with the compiled text kernel off: its numpy reference, for the kernel's gain."""
    query = consentry_pipeline(works)

    def run(text: str) -> set[str]:
        active, kernel.ACTIVE = kernel.ACTIVE, False
        try:
            return query(text)
        finally:
            kernel.ACTIVE = active

    return run


def datasketch_pipeline(works: list[dict[str, str]]) -> Query:
    from datasketch import MinHash, MinHashLSH

    def mh(text: str) -> MinHash:
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([s.encode() for s in words5(text)])
        return m

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    for w in works:
        lsh.insert(w["id"], mh(w["text"]))
    return lambda text: set(lsh.query(mh(text)))


def rensa_pipeline(works: list[dict[str, str]]) -> Query:
    from rensa import RMinHash, RMinHashLSH

    def mh(text: str) -> RMinHash:
        m = RMinHash(num_perm=128, seed=1)
        m.update(words5(text))
        return m

    lsh = RMinHashLSH(threshold=0.8, num_perm=128, num_bands=16)
    ids = [w["id"] for w in works]
    for i, w in enumerate(works):
        lsh.insert(i, mh(w["text"]))
    return lambda text: {ids[i] for i in lsh.query(mh(text))}


def evaluate(
    name: str, query: Query, pos: list[dict[str, str]], neg: list[dict[str, str]]
) -> dict[str, object]:
    hits: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wrong = 0
    t0 = time.process_time()
    for p in pos:
        found = query(p["text"])
        hits[p["transform"]][0] += p["work_id"] in found
        hits[p["transform"]][1] += 1
        wrong += len(found - {p["work_id"]})
    fp = sum(bool(query(n["text"])) for n in neg)
    seconds = time.process_time() - t0
    mb = sum(len(r["text"].encode()) for r in pos + neg) / 1e6
    recall = {t: (k, n, k / n, *ci(k, n)) for t, (k, n) in hits.items()}
    tp = sum(k for k, _ in hits.values())
    return {
        "pipeline": name,
        "recall": recall,
        "false_positives": (fp, len(neg), fp / len(neg), *ci(fp, len(neg))),
        "precision": tp / max(1, tp + fp + wrong),
        "other_work_matches_on_positives": wrong,
        "mb": mb,
        "seconds": seconds,
        "mb_per_s": mb / seconds,
    }


def million(n: int = 1_000_000, per_work: int = 128) -> dict[str, object]:
    """Synthetic index of ``n`` works x ``per_work`` sampled shingles; query latency and RAM."""
    rng = np.random.default_rng(3)
    hashes = rng.integers(0, 2**63, n * per_work, dtype=np.uint64) << np.uint64(1)
    works = np.repeat(np.arange(n, dtype=np.uint32), per_work)
    offsets = np.tile(np.arange(per_work, dtype=np.uint32) * 8, n)
    order = np.argsort(hashes, kind="stable")
    index = TextIndex()
    index.postings = Postings((hashes[order], works[order], offsets[order]))
    del hashes, works, offsets, order
    index.ids = [f"synthetic-{i}" for i in range(n)]
    index.number = {w: i for i, w in enumerate(index.ids)}
    index.alive = np.ones(n, np.bool_)
    index.shingles = np.full(n, per_work, np.uint32)
    index.digests = [None] * n
    folder = Path(tempfile.mkdtemp(prefix="consentry-million-")) / "index"
    save_text_index(index, folder)
    del index
    return {"works": n, "postings_per_work": per_work, **run_million_child(__file__, folder)}


def million_child(folder: str) -> None:
    before = rss_anon()
    t0 = time.perf_counter()
    index = load_text_index(folder)
    load_s = time.perf_counter() - t0
    ram = rss_anon() - before
    lines = Path("bench/out/text-devset/works.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(x) for x in lines[:50]]
    for r in rows:
        index.add_text(r["id"], r["text"])
    index.compact()  # the added works join the (now in-memory) arrays, as a rebuild would
    items = [" ".join(r["text"].split()[:1000]) for r in rows]
    index.query(items[0])
    lat = []
    for text in items * 4:
        t = time.perf_counter()
        index.query(text)
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
                "query_words": int(np.mean([len(t.split()) for t in items])),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devset", type=Path, default=Path("bench/out/text-devset"))
    parser.add_argument("--million", action="store_true")
    parser.add_argument("--million-child")
    parser.add_argument("--out", type=Path, default=Path("bench/out/text-results.json"))
    args = parser.parse_args()
    if args.million_child:
        million_child(args.million_child)
        return
    os.sched_setaffinity(0, {0})  # one core

    def load(n: str) -> list[dict[str, str]]:
        text = (args.devset / f"{n}.jsonl").read_text(encoding="utf-8")
        return [json.loads(x) for x in text.splitlines()]

    works, pos, neg = load("works"), load("positives"), load("negatives")
    results = [
        evaluate(name, make(works), pos, neg)
        for name, make in (
            ("consentry", consentry_pipeline),
            ("consentry numpy reference", consentry_numpy_pipeline),
            ("datasketch", datasketch_pipeline),
            ("rensa", rensa_pipeline),
        )
    ]
    report: dict[str, object] = {
        "works": len(works),
        "positives": len(pos),
        "negatives": len(neg),
        "results": results,
    }
    if args.million:
        report["million"] = million()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1))
    for r in results:
        print(
            r["pipeline"],
            f"{r['mb_per_s']:.1f} MB/s",
            "FP",
            r["false_positives"],
            "precision",
            round(r["precision"], 4),
        )  # type: ignore[index]
        for t, v in r["recall"].items():  # type: ignore[attr-defined]
            print(f"  {t:15s} {v[2]:.4f} [{v[3]:.4f}, {v[4]:.4f}] n={v[1]}")
    if args.million:
        print(report["million"])


if __name__ == "__main__":
    main()
