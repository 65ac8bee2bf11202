"""Benchmark: import 100,000 works from JSONL into a fresh SQLite registry.

Compares, in the same run, consentry's all-or-nothing validated import with
two floors: reading and parsing the JSONL alone (nothing can import faster
than it can read), and a bare ``sqlite3`` executemany of one flat row per
work (no validation, no parties, no consent: what a naive loader does).
Reports wall time, rows per second, the ratios, and peak memory (RSS).

    .venv/bin/python bench/bench_import.py [--works 100000] [--out bench/out]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import resource
import sqlite3
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from consentry.actions.works import import_works
from consentry.actions.workspace import init

USES = ("data_mining", "ai_training", "genai_training", "ai_inference", "search")
STATES = ("granted", "withheld", "ask")


def isbn13(n: int) -> str:
    """A valid ISBN-13 in the 978 range, numbered ``n``."""
    body = f"978{n:09d}"
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def make_rows(count: int, seed: int = 7) -> list[dict[str, object]]:
    """Works with 1-3 creators from a pool, usually a publisher, ISBNs and fingerprints."""
    rng = random.Random(seed)
    creators = max(count // 5, 1)
    publishers = max(count // 200, 1)
    rows: list[dict[str, object]] = []
    for n in range(count):
        row: dict[str, object] = {
            "id": f"w{n:07d}",
            "title": f"Work number {n}",
            "kind": "text",
            "identifiers": {"isbn": isbn13(n)},
            "fingerprints": {"sha256": f"{rng.getrandbits(256):064x}"},
            "creators": [
                {"name": f"Creator {rng.randrange(creators)}", "role": "author"}
                for _ in range(rng.randint(1, 3))
            ],
        }
        if rng.random() < 0.8:
            row["rightsholders"] = [{"name": f"Publisher {rng.randrange(publishers)}"}]
        row["consent"] = {rng.choice(USES): rng.choice(STATES)}
        # Co-authors drawn twice from the pool are one creator listed once.
        unique = {c["name"]: c for c in row["creators"]}  # type: ignore[attr-defined]
        row["creators"] = list(unique.values())
        rows.append(row)
    return rows


def _child(fn: Callable[[], object], results: multiprocessing.Queue[tuple[float, int]]) -> None:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    results.put((elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def measured(label: str, fn: Callable[[], object]) -> tuple[float, float]:
    """Run ``fn`` in a fresh process: its wall time and its own peak RSS in MB."""
    spawn = multiprocessing.get_context("spawn")
    results: multiprocessing.Queue[tuple[float, int]] = spawn.Queue()
    process = spawn.Process(target=_child, args=(fn, results))
    process.start()
    elapsed, peak_kb = results.get()
    process.join()
    print(f"  {label:<36} {elapsed:8.2f} s  {peak_kb / 1024:7.0f} MB peak", flush=True)
    return elapsed, peak_kb / 1024


def parse_only(path: Path) -> None:
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            json.loads(line)


def flat_sqlite(path: Path, db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE works (id TEXT PRIMARY KEY, title TEXT, kind TEXT, doc TEXT)")
    with path.open(encoding="utf-8") as fh, con:
        con.executemany(
            "INSERT INTO works VALUES (?, ?, ?, ?)",
            ((r["id"], r["title"], r["kind"], line) for line in fh for r in [json.loads(line)]),
        )
    con.close()


def write_rows(path: Path, count: int) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in make_rows(count)))


def consentry_import(source: Path, db: Path) -> None:
    ws = init(f"sqlite:///{db}")
    import_works(ws, source)
    ws.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    source = args.out / f"works-{args.works}.jsonl"
    # Generated in a child too: Linux carries a parent's peak RSS into its children.
    measured("generate the JSONL", partial(write_rows, source, args.works))
    for stale in args.out.glob("*.db*"):
        stale.unlink()
    size_mb = source.stat().st_size / 1e6
    print(f"{args.works:,} works, {size_mb:.1f} MB of JSONL; each step in a fresh process")
    base, _ = measured("read + parse JSONL (floor)", partial(parse_only, source))
    flat, _ = measured(
        "sqlite3 flat executemany (naive)", partial(flat_sqlite, source, args.out / "flat.db")
    )
    full, _ = measured(
        "consentry works import", partial(consentry_import, source, args.out / "registry.db")
    )
    print(
        f"  consentry: {args.works / full:,.0f} works/s; "
        f"{full / base:.1f}x the parse floor, {full / flat:.1f}x the naive loader; "
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}"
    )


if __name__ == "__main__":
    main()
