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
import random
import resource
import sqlite3
import sys
import time
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


def timed(label: str, fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    elapsed = time.perf_counter() - start
    print(f"  {label:<38} {elapsed:8.2f} s", flush=True)
    return elapsed


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    source = args.out / f"works-{args.works}.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in make_rows(args.works)))
    for stale in args.out.glob("*.db*"):
        stale.unlink()
    print(f"{args.works:,} works, {source.stat().st_size / 1e6:.1f} MB of JSONL")
    base = timed("read + parse JSONL (floor)", lambda: parse_only(source))
    flat = timed(
        "sqlite3 flat executemany (naive)", lambda: flat_sqlite(source, args.out / "flat.db")
    )
    ws = init(f"sqlite:///{args.out / 'registry.db'}")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    full = timed("consentry works import", lambda: import_works(ws, source))
    ws.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  consentry: {args.works / full:,.0f} works/s; "
        f"{full / base:.1f}x the parse floor, {full / flat:.1f}x the naive loader"
    )
    print(
        f"  peak RSS {peak_mb:,.0f} MB (before import {rss_before / 1024:,.0f} MB); "
        f"python {sys.version.split()[0]}, sqlite {sqlite3.sqlite_version}"
    )


if __name__ == "__main__":
    main()
