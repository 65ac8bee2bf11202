"""The image index at 1,000,000 works: build time, RAM per work, query latency, against peers.

A synthetic index of ``n`` works x ``--hashes-per-work`` random PDQ hashes
(default: as many as a registered work stores, 27 now) is built, saved and
opened (memory-mapped) in a fresh process pinned to one core. Queries are 13
hashes (as many as a real query has): random ones, and ones with a hash
planted within the index's reach of a stored hash, its flipped bits dealt
over the chunks' address bits (the index's worst case); every planted hash
must be found. The index is timed as it runs (the compiled probe kernel when
built) against its own numpy reference (``CONSENTRY_IMAGE_KERNEL=0``'s path),
in turn on the same queries, half a run apart (neither finds the other's
cache lines of a query still warm), after checking that both give the same
(row, query hash, distance) triples on every query. Peers in the same
process, on the same memory-mapped hashes: the previous index's probing
(binary search of each probe in per-chunk sorted keys, ``searchsorted``) and
a linear scan (``np.bitwise_count`` over every stored hash).

    taskset -c 0 .venv/bin/python bench/bench_image_million.py [--works 1000000] \
        [--hashes-per-work 27]
    .venv/bin/python bench/bench_image.py --million   # the same, into image-results.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchlib import rss_anon
from consentry.fingerprint.image import IMAGE_SCHEME, WORK_ANGLES, WORK_REGIONS, ImageFingerprint
from consentry.matching import ImageIndex, image_tables, load_image_index, save_image_index
from consentry.matching.image_tables import (
    CHUNK_BITS,
    CHUNK_RADIUS,
    CHUNKS,
    REACH,
    chunk_keys,
    flips,
)

REGIONS = len(WORK_REGIONS) + len(WORK_ANGLES)  # hashes per registered work (27 now)
QUERY_HASHES = 13  # hashes per query: 8 orientations + 5 trimmed regions
WIDEST = 31  # the default thresholds (a planted hash this close must match)


def build(n: int, folder: Path, per_work: int = REGIONS) -> dict[str, object]:
    """Build, save and time the synthetic index of ``n`` works x ``per_work`` hashes."""
    rng = np.random.default_rng(3)
    rows = n * per_work
    hashes = rng.integers(0, 256, (rows, 32), dtype=np.uint8)
    owner = np.repeat(np.arange(n, dtype=np.uint32), per_work)
    region = np.tile(np.arange(per_work, dtype=np.uint16), n)
    ids = [f"synthetic-{i}" for i in range(n)]
    t0 = time.perf_counter()
    index = ImageIndex.from_parts(ids, (hashes, owner, region))
    build_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    save_image_index(index, folder)
    save_s = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in folder.iterdir())
    return {"build_s": round(build_s, 1), "save_s": round(save_s, 1), "bytes_on_disk": size}


def _queries(index: ImageIndex, count: int) -> tuple[list[np.ndarray], list[tuple[int, int]]]:
    """``count`` queries; every other one has a hash planted at a distance up to the reach."""
    rng = np.random.default_rng(11)
    queries, planted = [], []
    for i in range(count):
        q = rng.integers(0, 256, (QUERY_HASHES, 32), dtype=np.uint8)
        if i % 2:
            row, d = int(rng.integers(index.tables.rows)), int(rng.integers(WIDEST + 1))
            order = rng.permutation(CHUNKS).tolist()
            dealt = [order[j % CHUNKS] for j in range(d)]
            bits = np.unpackbits(np.asarray(index.hashes[row]))
            for j, c in enumerate(dealt):
                bits[CHUNK_BITS[c][0] + dealt[:j].count(c)] ^= 1
            q[i % QUERY_HASHES] = np.packbits(bits)
            planted.append((i, row))
        queries.append(q)
    return queries, planted


def _searchsorted_peer(index: ImageIndex) -> Callable[[np.ndarray], object]:
    """The previous index's query: each probe binary-searched in per-chunk sorted keys.

    Its code, on in-memory keys (it read memory-mapped ones), with its
    candidate check (an 8-bit popcount table); the Python per match is left
    out (random queries have none).
    """
    keys = chunk_keys(np.asarray(index.hashes))
    order = [np.argsort(keys[:, c], kind="stable").astype(np.uint32) for c in range(CHUNKS)]
    sorted_keys = [keys[order[c], c] for c in range(CHUNKS)]
    del keys
    hashes = np.asarray(index.hashes)
    pop = np.array([bin(v).count("1") for v in range(256)], dtype=np.uint16)

    def query(q: np.ndarray) -> object:
        q_keys = chunk_keys(q)
        regions, rows = [], []
        for c, (_, width) in enumerate(CHUNK_BITS):
            masks = flips(width, CHUNK_RADIUS[c])
            probes = (q_keys[:, c : c + 1] ^ masks[None, :]).reshape(-1)
            by_value = np.argsort(probes, kind="stable")
            keys_c = sorted_keys[c]
            lo = np.searchsorted(keys_c, probes[by_value], side="left").astype(np.int64)
            inside = np.flatnonzero(lo < keys_c.size)
            hit = inside[keys_c[lo[inside]] == probes[by_value][inside]]
            if hit.size == 0:
                continue
            start = lo[hit]
            lengths = np.searchsorted(keys_c, probes[by_value][hit], side="right") - start
            where = np.repeat(start - np.cumsum(lengths) + lengths, lengths)
            rows.append(order[c][where + np.arange(int(lengths.sum()))].astype(np.int64))
            regions.append(np.repeat(by_value[hit] // masks.size, lengths))
        r, g = np.concatenate(rows), np.concatenate(regions)
        return np.flatnonzero(pop[np.bitwise_xor(hashes[r], q[g])].sum(axis=1) <= REACH)

    return query


def _summary(wall: list[float], cpu: list[float]) -> dict[str, float]:
    """Median and p99 of wall clock and thread CPU time, in ms."""
    return {
        "median": round(1000 * float(np.median(wall)), 2),
        "p99": round(1000 * float(np.percentile(wall, 99)), 2),
        "cpu_median": round(1000 * float(np.median(cpu)), 2),
        "cpu_p99": round(1000 * float(np.percentile(cpu, 99)), 2),
    }


def _timed(fn: Callable[[np.ndarray], object], queries: list[np.ndarray]) -> dict[str, float]:
    """Median and p99 per query, wall clock and this thread's CPU time, in ms."""
    wall, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        fn(q)
        cpu.append(time.thread_time() - c)
        wall.append(time.perf_counter() - t)
    return _summary(wall, cpu)


def _in_turn(
    paths: dict[str, Callable[[np.ndarray], object]], queries: list[np.ndarray]
) -> dict[str, dict[str, float]]:
    """Each path on every query, the paths in turn, path ``k`` half a run behind path 0.

    One path never runs a query the other has just run (its cache lines still
    warm): between the two runs of a query lie half the queries.
    """
    times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in paths}
    for i in range(len(queries)):
        for k, (name, fn) in enumerate(paths.items()):
            q = queries[(i + k * len(queries) // 2) % len(queries)]
            t, c = time.perf_counter(), time.thread_time()
            fn(q)
            times[name][1].append(time.thread_time() - c)
            times[name][0].append(time.perf_counter() - t)
    return {name: _summary(*times[name]) for name in paths}


def _path(index: ImageIndex, kernel: bool) -> Callable[[np.ndarray], object]:
    """A query through the compiled probe kernel or through its numpy reference."""

    def query(q: np.ndarray) -> object:
        image_tables.ACTIVE = kernel  # what CONSENTRY_IMAGE_KERNEL=0 sets at import
        return index.query(ImageFingerprint(IMAGE_SCHEME, q, 100))

    return query


def _same_triples(index: ImageIndex, queries: list[np.ndarray]) -> bool:
    """Whether kernel and reference find the same (row, query hash, distance) triples."""
    for q in queries:
        image_tables.ACTIVE = False
        want = index.within(q, REACH)
        image_tables.ACTIVE = image_tables.BUILT
        got = index.within(q, REACH)
        if not all(np.array_equal(a, b) for a, b in zip(got, want, strict=True)):
            return False
    return True


def child(folder: Path, count: int) -> dict[str, object]:
    """Open the saved index and time queries against its peers (one core, fresh process)."""
    os.sched_setaffinity(0, {0})
    before = rss_anon()
    t0 = time.perf_counter()
    index = load_image_index(folder)
    load_s = time.perf_counter() - t0
    queries, planted = _queries(index, count)
    fps = [ImageFingerprint(IMAGE_SCHEME, q, 100) for q in queries]
    results = [index.query(fp) for fp in fps]  # warm-up pass: also checks every planted hash
    missed = [
        i
        for i, row in planted
        if f"synthetic-{int(index.owner[row])}" not in {m.work_id for m in results[i].matches}
    ]
    same = _same_triples(index, queries)
    paths = {
        "index_ms": _path(index, image_tables.BUILT),
        "numpy_reference_ms": _path(index, False),
    }
    lat = _in_turn(paths, queries)
    image_tables.ACTIVE = image_tables.BUILT
    ram = rss_anon() - before
    out: dict[str, object] = {
        "load_s": round(load_s, 2),
        "ram_bytes_per_work": round(ram / len(index)),
        "queries": count,
        "planted": len(planted),
        "planted_missed": len(missed),
        "kernel": image_tables.BUILT,
        "kernel_same_as_reference": same,
        **lat,
    }
    peer = _searchsorted_peer(index)
    out["searchsorted_ms"] = _timed(peer, queries[:40])
    words = np.asarray(index.hashes).reshape(-1).view(np.uint64).reshape(-1, 4)

    def scan(q: np.ndarray) -> None:
        for w in q.reshape(-1).view(np.uint64).reshape(-1, 4):
            np.flatnonzero(np.bitwise_count(words ^ w).sum(axis=1, dtype=np.uint16) <= REACH)

    out["linear_scan_ms"] = _timed(scan, queries[:2])
    out["load_average"] = os.getloadavg()[0]
    return out


def million(n: int = 1_000_000, queries: int = 400, per_work: int = REGIONS) -> dict[str, object]:
    """Build the index of ``n`` works, then measure it in a fresh process; the JSON results."""
    load = os.getloadavg()[0]
    folder = Path(tempfile.mkdtemp(prefix="consentry-image-million-")) / "index"
    try:
        built = build(n, folder, per_work)
        run = subprocess_child(folder, queries)
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)
    return {
        "works": n,
        "hashes_per_work": per_work,
        "numpy": np.__version__,
        "load_average_before": load,
        **built,
        **run,
    }


def subprocess_child(folder: Path, queries: int) -> dict[str, object]:
    """``child`` in a fresh process (its RAM measured from a clean start)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(folder), "--queries", str(queries)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--hashes-per-work", type=int, default=REGIONS)
    parser.add_argument("--child", type=Path)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.queries)))
        return
    print(json.dumps(million(args.works, args.queries, args.hashes_per_work), indent=1))


if __name__ == "__main__":
    main()
