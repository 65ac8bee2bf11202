"""Signal reading's share of a WARC scan: the same scan with and without signals.

Builds (seeded) a WARC.gz corpus from the documents of ``bench_scan.py``'s
text corpus (run that first): each document becomes an HTML response from
one of 200 hosts, one in five with a ``tdm-reservation`` header, one in
seven with ``<meta name="robots" content="noai">``, one in eleven with a
``Content-Usage`` header; each host has a robots.txt record, a third of
them disallowing GPTBot. Then times ``consentry scan`` (consent regime, so
that both runs write the same outputs and only the signal reading differs)
with signals and with ``--no-signals`` (alternating, best of 3 each, 2 worker processes).

    .venv/bin/python bench/bench_signals.py [--docs 4000]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUT = Path(__file__).resolve().parent / "out"


def build(docs: int) -> Path:
    target = OUT / f"signals-{docs}.warc.gz"
    if target.exists():
        return target
    sources = sorted((OUT / "scan-corpus-1024").rglob("*.txt"))[:docs]
    if len(sources) < docs:
        sys.exit("run bench/bench_scan.py first (it builds the text corpus)")
    rnd = random.Random(3)
    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for host in range(200):
            rules = (
                "User-agent: GPTBot\nDisallow: /\n"
                if host % 3 == 0
                else "User-agent: *\nAllow: /\n"
            )
            _write(writer, f"https://host{host}.example/robots.txt", rules.encode(), [])
        for n, path in enumerate(sources):
            headers = [("Content-Type", "text/html")]
            if n % 5 == 0:
                headers.append(("tdm-reservation", "1"))
            if n % 11 == 0:
                headers.append(("Content-Usage", "train-ai=n"))
            meta = '<meta name="robots" content="noai">' if n % 7 == 0 else ""
            body = f"<html><head>{meta}</head><body><p>{path.read_text()}</p></body></html>"
            _write(
                writer, f"https://host{rnd.randrange(200)}.example/doc/{n}", body.encode(), headers
            )
    return target


def _write(writer: WARCWriter, url: str, body: bytes, headers: list[tuple[str, str]]) -> None:
    http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    writer.write_record(record)


def scan(corpus: Path, *extra: str) -> float:
    env = {**os.environ, "CONSENTRY_DATABASE_URL": f"sqlite:///{OUT / 'signals-registry.db'}"}
    subprocess.run(
        [sys.executable, "-m", "consentry", "init"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    out = OUT / "signals-out"
    subprocess.run(["rm", "-rf", str(out)], check=True)
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "consentry",
            "scan",
            str(corpus),
            "--out",
            str(out),
            "--regime",
            "reservation",
            "--workers",
            "2",
            *extra,
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=4000)
    args = parser.parse_args()
    corpus = build(args.docs)
    runs: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(3):  # alternate, so that a busy moment does not favour one side
        runs["without"].append(scan(corpus, "--no-signals"))
        runs["with"].append(scan(corpus))
    with_signals, without = min(runs["with"]), min(runs["without"])
    summary = json.loads((OUT / "signals-out" / "summary.json").read_text())
    manifest = (OUT / "signals-out" / "manifest.jsonl").read_text().splitlines()
    rows = [json.loads(x) for x in manifest]
    reserved = sum(1 for r in rows if any(s["reserved"] for s in r["signals"]))
    report = {
        "warc_mb": round(corpus.stat().st_size / 1e6, 1),
        "items": summary["items"],
        "items_with_a_reservation": reserved,
        "errors": summary["reasons"].get("error", 0),
        "seconds_with_signals": round(with_signals, 2),
        "seconds_without": round(without, 2),
        "overhead": round(with_signals / without - 1, 4),
    }
    print(json.dumps(report, indent=2))
    (OUT / "signals-results.json").write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
