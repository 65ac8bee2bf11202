"""WARC and WARC.gz (warcio): each ``response`` or ``resource`` record is an item.

Item id: ``<file>#<WARC-Record-ID>``; ``source`` is the WARC-Target-URI;
``meta`` keeps the HTTP status, the HTTP headers (as a list of pairs, names
as sent) and the WARC-Date, for the signals readers. The payload is the HTTP
body with transfer and content encodings undone (warcio). Records for
``/robots.txt``, ``/ai.txt`` and ``/.well-known/tdmrep.json`` are not items:
they are signals of their host, offered to the scan's pre-pass through
:meth:`WarcReader.signal_records`. A record over the size limit is an item
with a problem; a corrupt or truncated file ends its shard with one item
naming the problem, so nothing is silently dropped.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.warcwriter import WARCWriter

from consentry.corpus.files import corpus_files
from consentry.corpus.item import Item, Shard
from consentry.errors import InvalidInput

SUFFIXES = (".warc", ".warc.gz")
ITEM_TYPES = ("response", "resource")
SIGNAL_PATHS = ("/robots.txt", "/ai.txt", "/.well-known/tdmrep.json")
DEFAULT_MAX_RECORD = 64 * 1024 * 1024


def is_signal_url(url: str) -> bool:
    """True for a host-level signal file's URL (robots.txt, ai.txt, tdmrep.json)."""
    return urlsplit(url).path in SIGNAL_PATHS


class WarcReader:
    """One WARC file or a folder of them; one shard per file."""

    format = "warc"

    def __init__(self, path: Path, *, max_item_bytes: int = DEFAULT_MAX_RECORD) -> None:
        if not path.exists():
            raise InvalidInput(f"no corpus at {path}")
        self.root = path if path.is_dir() else path.parent
        names = corpus_files(path, SUFFIXES)
        if not names:
            raise InvalidInput(f"no WARC files ({', '.join(SUFFIXES)}) in {path}")
        self.files = names
        self.max_item_bytes = max_item_bytes

    def shards(self) -> list[Shard]:
        """One shard per file, in sorted order."""
        return [Shard(name, (self.root / name).stat().st_size) for name in self.files]

    def items(self, shard: Shard) -> Iterator[Item]:
        """The response and resource records of ``shard``, in file order."""
        position = 0
        for record, problem in self._records(shard):
            if problem is not None:
                yield Item(f"{shard.name}#unreadable-{position}", b"", position, problem=problem)
                return
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if record.rec_type not in ITEM_TYPES or is_signal_url(url):
                continue
            yield self._item(shard.name, position, record, url)
            position += 1

    def signal_records(self) -> Iterator[tuple[str, list[tuple[str, str]], bytes]]:
        """Every robots.txt, ai.txt and tdmrep.json record: (URL, HTTP headers, body)."""
        for shard in self.shards():
            for record, problem in self._records(shard):
                if problem is not None:
                    break
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type in ITEM_TYPES and is_signal_url(url):
                    status, headers = _http(record)
                    if status in (None, 200):
                        yield url, headers, record.content_stream().read(1024 * 1024)

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write the kept records, and every non-item record, to the same path under ``out_dir``.

        Requests, metadata and host-level signal records are kept with the
        responses they belong to (they carry no content of their own).
        """
        target = Path(out_dir) / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        position = 0
        with target.open("wb") as out:
            writer = WARCWriter(out, gzip=shard.name.endswith(".gz"))
            for record, problem in self._records(shard):
                if problem is not None:
                    break
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                is_item = record.rec_type in ITEM_TYPES and not is_signal_url(url)
                if is_item:
                    position += 1
                    if position - 1 not in keep:
                        continue
                    written += 1
                writer.write_record(record)
        return written

    def _records(self, shard: Shard) -> Iterator[tuple[Any, str | None]]:
        path = self.root / shard.name
        try:
            with path.open("rb") as handle:
                records = ArchiveIterator(handle, no_record_parse=False, arc2warc=True)
                for record in records:
                    yield record, None
                last = records.member_info
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, gzip.BadGzipFile) as exc:
            yield None, f"unreadable:corrupt_warc: {type(exc).__name__}: {exc}"
            return
        size = path.stat().st_size
        if path.name.endswith(".gz") and size and (last is None or sum(last) != size):
            yield None, "unreadable:corrupt_warc: the file ends inside a record (truncated)"

    def _item(self, name: str, position: int, record: Any, url: str) -> Item:
        item_id = f"{name}#{record.rec_headers.get_header('WARC-Record-ID')}"
        status, headers = _http(record)
        meta: dict[str, Any] = {
            "http_status": status,
            "http_headers": headers,
            "warc_date": record.rec_headers.get_header("WARC-Date"),
        }
        body = record.content_stream().read(self.max_item_bytes + 1)
        if getattr(record.raw_stream, "limit", 0) > 0 and len(body) <= self.max_item_bytes:
            problem = "unreadable:corrupt_warc: the record is truncated"
            return Item(item_id, b"", position, source=url, meta=meta, problem=problem)
        if len(body) > self.max_item_bytes:
            problem = f"unreadable:too_large: over {self.max_item_bytes:,} bytes"
            return Item(item_id, b"", position, source=url, meta=meta, problem=problem)
        if status is not None and status != 200:
            problem = f"unreadable:http_{status}: not a successful response"
            return Item(item_id, b"", position, source=url, meta=meta, problem=problem)
        return Item(item_id, body, position, source=url, meta=meta)


def _http(record: Any) -> tuple[int | None, list[tuple[str, str]]]:
    if record.http_headers is None:
        return None, []
    code = record.http_headers.get_statuscode()
    status = int(code) if code and code.isdigit() else None
    return status, [(k, v) for k, v in record.http_headers.headers]
