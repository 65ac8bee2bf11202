"""Benchmark: the public lookup under load, with wrk, on SQLite and on PostgreSQL.

Builds a registry of ``--works`` works (``bench_import.make_rows``: random
SHA-256 fingerprints, 1-3 creators, publishers, one consent each), a
developer holding licences on a tenth of them, then serves it with uvicorn
(one worker, pinned to CPU 0) and runs ``wrk`` (pinned to CPU 1) against
``GET /api/v1/lookup`` cycling through registered hashes (90%) and unknown
ones (10%). The lookup rate limit is off for the run (one client address
would otherwise be throttled); everything else is the production path.

    .venv/bin/python bench/bench_service.py [--works 20000] [--seconds 15]
        [--connections 32] [--db sqlite|postgresql|both] [--cold]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_import import make_rows
from consentry.actions.licences import grant_licence
from consentry.actions.parties import add_party
from consentry.actions.works import import_works
from consentry.actions.workspace import init
from consentry.domain import PartyKind, Use

POSTGRES = os.environ.get(
    "CONSENTRY_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
LUA = """
local paths = {}
for line in io.lines("%s") do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def build(url: str, folder: Path, works: int) -> list[str]:
    """Create the registry; returns the lookup paths wrk cycles through."""
    rows = make_rows(works)
    catalogue = folder / "works.jsonl"
    catalogue.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    ws = init(url)
    try:
        import_works(ws, catalogue)
        dev = add_party(ws, "Bench Developer", PartyKind.DEVELOPER)
        licensed = [str(r["id"]) for r in rows[: works // 10]]
        grant_licence(ws, dev.id, licensed, [Use.AI_TRAINING])
    finally:
        ws.close()
    rng = random.Random(11)
    hashes = [str(r["fingerprints"]["sha256"]) for r in rows]  # type: ignore[index]
    hashes += [f"{rng.getrandbits(256):064x}" for _ in range(works // 9)]
    rng.shuffle(hashes)
    return [f"/api/v1/lookup?developer={dev.id}&use=ai_training&sha256={h}" for h in hashes]


def serve(url: str, port: int, folder: Path) -> subprocess.Popen[bytes]:
    """uvicorn with one worker on CPU 0."""
    env = {
        **os.environ,
        "CONSENTRY_LOOKUP_RATE_LIMIT": "0",
        "CONSENTRY_INDEX_DIR": str(folder / "index"),
        "CONSENTRY_LOG_KEY_FILE": str(folder / "log.key"),
    }
    code = (
        "import uvicorn; from consentry.service.app import create_app; "
        f"uvicorn.run(create_app({url!r}), host='127.0.0.1', port={port}, "
        "workers=1, access_log=False, log_level='warning')"
    )
    server = subprocess.Popen(["taskset", "-c", "0", sys.executable, "-c", code], env=env)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v1/log/key", timeout=1)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start")


def run_wrk(
    port: int,
    paths: list[str],
    folder: Path,
    seconds: int,
    connections: int,
    server_pid: int,
    warm: bool,
) -> dict:
    """wrk on CPU 1; requests/s and latency percentiles."""
    listing = folder / "paths.txt"
    listing.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = folder / "lookup.lua"
    script.write_text(LUA % listing, encoding="utf-8")
    url = f"http://127.0.0.1:{port}"
    if warm:
        with httpx.Client(base_url=url) as client:
            for path in paths:  # see every path once, as a server that has been running has
                client.get(path)
    wrk = shutil.which("wrk") or "/usr/bin/wrk"
    command = ["taskset", "-c", "1", wrk, "-t1", f"-c{connections}", f"-d{seconds}s"]
    cpu_before = cpu_seconds(server_pid)
    out = subprocess.run(
        [*command, "--latency", "-s", str(script), url], capture_output=True, text=True, check=True
    ).stdout
    result = parse(out)
    cpu = cpu_seconds(server_pid) - cpu_before
    served = result["requests_per_s"] * seconds
    result["server_cpu_share"] = cpu / seconds
    result["server_cpu_us_per_request"] = cpu / served * 1e6 if served else None
    return result


def run_batches(port: int, paths: list[str], batch: int = 1000) -> dict:
    """Every path's hash once, cold, through ``POST /api/v1/lookup`` in batches."""
    developer = paths[0].split("developer=")[1].split("&")[0]
    hashes = [p.rsplit("sha256=", 1)[1] for p in paths]
    start = time.perf_counter()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
        for i in range(0, len(hashes), batch):
            items = [{"sha256": h} for h in hashes[i : i + batch]]
            response = client.post("/api/v1/lookup", json={"developer": developer, "items": items})
            response.raise_for_status()
    elapsed = time.perf_counter() - start
    return {"items": len(hashes), "seconds": elapsed, "items_per_s": len(hashes) / elapsed}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (from /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def parse(out: str) -> dict:
    """Requests/s, p50/p90/p99 latency (ms), errors, from wrk's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    pct = {p: _ms(v) for p, v in re.findall(r"\s(50|90|99)%\s+([\d.]+\w+)", out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_s": rps,
        "p50_ms": pct.get("50"),
        "p90_ms": pct.get("90"),
        "p99_ms": pct.get("99"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "wrk": out,
    }


def bench(db: str, args: argparse.Namespace) -> dict:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-service-{db}-"))
    schema = None
    if db == "sqlite":
        url = f"sqlite:///{folder / 'registry.db'}"
    else:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{POSTGRES}?options=-csearch_path%3D{schema}"
    try:
        start = time.perf_counter()
        paths = build(url, folder, args.works)
        print(
            f"[{db}] registry of {args.works:,} works built in {time.perf_counter() - start:.1f} s"
        )
        server = serve(url, args.port, folder)
        if not args.warm:  # the batch endpoint, cold, on a server of its own
            try:
                batches = run_batches(args.port, paths)
            finally:
                server.terminate()
                server.wait(timeout=30)
            print(f"[{db}] cold batches: {batches['items_per_s']:,.0f} items/s")
            server = serve(url, args.port, folder)
        try:
            result = run_wrk(
                args.port, paths, folder, args.seconds, args.connections, server.pid, args.warm
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if schema is not None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"[{db}] {result['requests_per_s']:,.0f} req/s, p50 {result['p50_ms']:.2f} ms, "
        f"p90 {result['p90_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, "
        f"non-2xx {result['non_2xx']}; server CPU {result['server_cpu_share']:.0%} of a core, "
        f"{result['server_cpu_us_per_request']:.0f} us per request"
    )
    if not args.warm:
        result["batch"] = batches
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cold",
        dest="warm",
        action="store_false",
        help="start with an empty cache (every request a first sight) instead of a warm one",
    )
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args()
    dbs = ("sqlite", "postgresql") if args.db == "both" else (args.db,)
    results = {db: bench(db, args) for db in dbs}
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
