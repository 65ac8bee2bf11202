"""WARC corpora: responses are items, host signal files are not, cleared copies keep records."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from consentry.corpus import open_corpus
from consentry.corpus.warc import WarcReader
from consentry.domain import Use
from consentry.matching.works_index import WorksIndex
from consentry.policy import Policy, Regime
from consentry.scan import ScanParams, run_scan
from consentry.scan.decide import no_registry
from consentry.signals.corpus import CorpusSignals

PAGE = (
    b"<html><head><title>t</title></head><body>"
    + b"Plain prose about harbours. " * 30
    + b"</body></html>"
)


def _response(
    writer: WARCWriter, url: str, body: bytes, status: str = "200 OK", **headers: str
) -> None:
    http = StatusAndHeaders(
        status, [("Content-Type", "text/html"), *headers.items()], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
    )


def _warc(path: Path, gz: bool = True) -> Path:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gz)
        _response(writer, "https://news.example/robots.txt", b"User-agent: GPTBot\nDisallow: /\n")
        _response(writer, "https://news.example/a", PAGE)
        writer.write_record(
            writer.create_warc_record(
                "https://news.example/a", "request", payload=io.BytesIO(b"GET /a")
            )
        )
        _response(writer, "https://press.example/b", PAGE, **{"TDM-Reservation": "1"})
        _response(writer, "https://open.example/c", PAGE)
        _response(writer, "https://open.example/gone", b"", status="404 Not Found")
    return path


def test_items_ids_meta_and_signal_records(tmp_path: Path) -> None:
    reader = WarcReader(_warc(tmp_path / "crawl.warc.gz"))
    [shard] = reader.shards()
    items = list(reader.items(shard))
    assert [i.source for i in items] == [
        "https://news.example/a",
        "https://press.example/b",
        "https://open.example/c",
        "https://open.example/gone",
    ]
    assert all(i.item_id.startswith("crawl.warc.gz#<urn:uuid:") for i in items)
    assert items[0].data == PAGE and items[0].meta["http_status"] == 200
    assert ("TDM-Reservation", "1") in items[1].meta["http_headers"]
    assert items[3].problem == "unreadable:http_404: not a successful response"
    [(url, _headers, body)] = list(reader.signal_records())
    assert url == "https://news.example/robots.txt" and body.startswith(b"User-agent: GPTBot")


def test_a_scan_reads_signals_from_the_warc_and_clears_in_kind(tmp_path: Path) -> None:
    corpus = _warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "out"
    params = ScanParams(
        str(corpus), "warc", None, "ai_training", "reservation", "2026-11-24T00:00:00Z"
    )
    run_scan(
        open_corpus(corpus),
        out,
        params=params,
        policy=Policy(Use.AI_TRAINING, Regime.RESERVATION),
        open_snapshot=no_registry,
        index_dir=WorksIndex().save(tmp_path / "index"),
        signals=CorpusSignals(),
    )
    rows = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert [r["reasons"][0].split(":")[0:2] for r in rows] == [
        ["reserved", "robots.txt"],
        ["reserved", "tdmrep"],
        ["unreserved"],
        ["unreadable", "http_404"],
    ]
    with (out / "cleared" / "crawl.warc.gz").open("rb") as handle:
        kept = [
            (r.rec_type, r.rec_headers.get_header("WARC-Target-URI"))
            for r in ArchiveIterator(handle)
        ]
    assert ("response", "https://open.example/c") in kept
    assert ("response", "https://press.example/b") not in kept
    assert (
        "response",
        "https://news.example/robots.txt",
    ) in kept  # host files travel with the data


@pytest.mark.parametrize("cut", [40, 700, -100])
def test_a_truncated_warc_ends_with_a_named_problem(tmp_path: Path, cut: int) -> None:
    whole = _warc(tmp_path / "whole.warc.gz").read_bytes()
    broken = tmp_path / "broken.warc.gz"
    broken.write_bytes(whole[:cut])
    reader = WarcReader(broken)
    items = [i for s in reader.shards() for i in reader.items(s)]
    assert items and items[-1].problem is not None
    assert items[-1].problem.startswith("unreadable:corrupt_warc")
