"""Corpus reader throughput: items/s and MB/s per format vs a bare read of the same bytes.

Builds (into ``bench/out/corpus-<format>``, about ``--size-mb`` each) one
corpus per format from the same documents: the ``.py`` sources of the Python
standard library this interpreter runs on (PSF-2.0 licence), one document
per record, cycled until the size is reached. Then, in the same run, for each
format: a bare read of the corpus files (1 MiB reads, warm page cache, no
parsing: the I/O floor) and the consentry reader yielding every item
(``items()`` over every shard, touching each item's bytes). Run pinned to one
core, since other work shares the machine, and compare only the ratios:

    taskset -c 0 .venv/bin/python bench/bench_corpus.py [--size-mb 200]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sysconfig
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from consentry.corpus import open_corpus

OUT = Path(__file__).resolve().parent / "out"
SHARD_BYTES = 50 * 1024 * 1024


def documents(size: int) -> Iterator[tuple[int, str]]:
    """(n, text) from the stdlib sources, cycled until ``size`` bytes were given."""
    sources = sorted(Path(sysconfig.get_paths()["stdlib"]).rglob("*.py"))
    texts = [t for t in (p.read_text("utf-8", "replace") for p in sources[:3000]) if t]
    given = n = 0
    while given < size:
        text = texts[n % len(texts)]
        yield n, text
        given += len(text)
        n += 1


def shards(size: int) -> Iterator[list[tuple[int, str]]]:
    """The documents in lists of about SHARD_BYTES."""
    batch: list[tuple[int, str]] = []
    held = 0
    for n, text in documents(size):
        batch.append((n, text))
        held += len(text)
        if held >= SHARD_BYTES:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def build(fmt: str, folder: Path, size: int) -> None:
    """Write the corpus for ``fmt`` into ``folder`` unless it is there already."""
    if (folder / ".done").exists():
        return
    folder.mkdir(parents=True, exist_ok=True)
    for i, batch in enumerate(shards(size)):
        {"parquet": _parquet, "webdataset": _tar, "warc": _warc, "hf": _arrow}[fmt](
            folder, i, batch
        )
    if fmt == "hf":
        names = sorted(p.name for p in folder.glob("data-*.arrow"))
        state = {"_data_files": [{"filename": n} for n in names]}
        (folder / "state.json").write_text(json.dumps(state))
        (folder / "dataset_info.json").write_text("{}")
    (folder / ".done").write_text("")


def _table(batch: list[tuple[int, str]]) -> pa.Table:
    return pa.table({"id": [f"doc{n}" for n, _ in batch], "text": [t for _, t in batch]})


def _parquet(folder: Path, i: int, batch: list[tuple[int, str]]) -> None:
    pq.write_table(_table(batch), folder / f"part-{i:05d}.parquet", row_group_size=1000)


def _arrow(folder: Path, i: int, batch: list[tuple[int, str]]) -> None:
    table = _table(batch)
    sink = pa.OSFile(str(folder / f"data-{i:05d}.arrow"), "wb")
    with sink, pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table, max_chunksize=1000)


def _tar(folder: Path, i: int, batch: list[tuple[int, str]]) -> None:
    with tarfile.open(folder / f"shard-{i:05d}.tar", "w") as tar:
        for n, text in batch:
            for name, data in ((f"{n:08d}.txt", text.encode()), (f"{n:08d}.json", b'{"n": 1}')):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))


def _warc(folder: Path, i: int, batch: list[tuple[int, str]]) -> None:
    with (folder / f"crawl-{i:05d}.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, text in batch:
            body = text.encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/plain")], protocol="HTTP/1.1")
            url = f"https://example.org/{n}.py"
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=io.BytesIO(body), http_headers=http
                )
            )


def bare_read(folder: Path) -> tuple[float, int]:
    """Seconds to read every file of ``folder`` in 1 MiB blocks, and the bytes read."""
    start, total = time.perf_counter(), 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        with path.open("rb") as handle:
            while block := handle.read(1 << 20):
                total += len(block)
    return time.perf_counter() - start, total


def reader_pass(folder: Path, fmt: str) -> tuple[float, int, int]:
    """Seconds to yield every item, the items, and the item bytes."""
    start = time.perf_counter()
    reader = open_corpus(folder, format=fmt)
    items = data = 0
    for shard in reader.shards():
        for item in reader.items(shard):
            items += 1
            data += len(item.data)
    return time.perf_counter() - start, items, data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size-mb", type=int, default=200)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024
    print(
        "| format | files MB | content MB | items | bare read MB/s | reader MB/s (files) "
        "| reader MB/s (content) | items/s | reader/bare |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for fmt in ("parquet", "webdataset", "warc", "hf"):
        folder = OUT / f"corpus-{fmt}-{args.size_mb}"
        build(fmt, folder, size)
        bare_read(folder)  # warm the page cache
        bare_s, on_disk = bare_read(folder)
        read_s, items, content = reader_pass(folder, fmt)
        mb, cmb = on_disk / 1e6, content / 1e6
        print(
            f"| {fmt} | {mb:.0f} | {cmb:.0f} | {items:,} | {mb / bare_s:,.0f} | {mb / read_s:,.1f} "
            f"| {cmb / read_s:,.1f} | {items / read_s:,.0f} | {bare_s / read_s:.3f} |"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole run: {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
