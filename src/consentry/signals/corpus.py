"""Every signal for every item of a corpus: host-level files first, then each record.

:class:`CorpusSignals` is the scan's signal reader. Its pre-pass collects the
host-level files before any item is decided, wherever they stand in the
corpus: robots.txt, ai.txt and ``/.well-known/tdmrep.json`` records of a WARC (the
reader's ``signal_records()``), and captured robots.txt files in a folder
(``<host>.txt`` or ``<host>``, e.g. ``example.org.txt``). Then, per item: its
HTTP headers, its HTML meta tags, the XMP packet of a media file, and what
its host's robots.txt and tdmrep.json say about its URL path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from consentry.corpus.item import CorpusReader, Item
from consentry.domain import WorkKind
from consentry.signals.ai_txt import AiTxtFile
from consentry.signals.base import Signal
from consentry.signals.c2pa import from_c2pa
from consentry.signals.crosswalk import crosswalk_version
from consentry.signals.epub import from_epub, is_epub
from consentry.signals.headers import from_headers
from consentry.signals.html import from_html, looks_like_html
from consentry.signals.robots import RobotsFile
from consentry.signals.tdmrep import TdmRepFile
from consentry.signals.xmp import from_xmp

HEADER_KEYS = ("http_headers", "headers")
DATE_KEYS = ("warc_date", "date")
MAX_HOST_FILE = 512 * 1024


class CorpusSignals:
    """Reads every signal of ``docs/signals.md`` for each item of a corpus."""

    def __init__(self, robots_dir: Path | None = None) -> None:
        self.name = f"consentry-signals/crosswalk-v{crosswalk_version()}"
        self.robots_dir = robots_dir
        self.robots: dict[str, RobotsFile] = {}
        self.tdmrep: dict[str, TdmRepFile] = {}
        self.ai_txt: dict[str, AiTxtFile] = {}

    def prepass(self, reader: CorpusReader) -> None:
        """Collect every host-level file the corpus holds."""
        records = getattr(reader, "signal_records", None)
        if callable(records):
            for url, _headers, body in records():
                self.add_host_file(str(url), bytes(body))
        if self.robots_dir is not None:
            for path in sorted(self.robots_dir.iterdir()):
                if path.is_file():
                    host = path.name.removesuffix(".txt")
                    self.robots[host] = RobotsFile.parse(host, path.read_bytes()[:MAX_HOST_FILE])

    def add_host_file(self, url: str, body: bytes) -> None:
        """Keep a captured robots.txt or tdmrep.json (other URLs are ignored)."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.path == "/robots.txt":
            self.robots[host] = RobotsFile.parse(host, body[:MAX_HOST_FILE])
        elif parts.path == "/ai.txt":
            self.ai_txt[host] = AiTxtFile.parse(host, body[:MAX_HOST_FILE])
        elif parts.path == "/.well-known/tdmrep.json":
            text = body[:MAX_HOST_FILE].decode("utf-8", "replace")
            self.tdmrep[host] = TdmRepFile.parse(host, text)

    def read(self, item: Item) -> list[Signal]:
        """Every signal for one item, in a fixed order (headers, HTML, XMP, host files)."""
        found: list[Signal] = []
        headers = _first(item.meta, HEADER_KEYS)
        if isinstance(headers, Mapping | list):
            found += from_headers(_pairs(headers))
        if looks_like_html(item.data):
            found += from_html(item.data)
        elif is_epub(item.data):
            found += from_epub(item.data)
        elif item.kind is not WorkKind.TEXT:
            found += from_xmp(item.data)
            found += from_c2pa(item.data)
        found += self._host_signals(item.source)
        seen = _first(item.meta, DATE_KEYS)
        if seen is not None:
            found = [_seen(s, str(seen)) for s in found]
        return found

    def _host_signals(self, url: str | None) -> list[Signal]:
        if not url or "://" not in url:
            return []
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        found: list[Signal] = []
        if host in self.robots:
            found += self.robots[host].signals_for(path)
        if host in self.ai_txt:
            found += self.ai_txt[host].signals_for(path)
        tdm = self.tdmrep.get(host)
        signal = tdm.signal_for(parts.path or "/") if tdm else None
        if signal is not None:
            found.append(signal)
        return found


def _first(meta: Mapping[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        if key in meta:
            return meta[key]
    return None


def _pairs(headers: Mapping[str, Any] | list[Any]) -> list[tuple[str, str]]:
    if isinstance(headers, Mapping):
        return [(str(k), str(v)) for k, v in headers.items()]
    return [(str(k), str(v)) for k, v in headers]


def _seen(signal: Signal, when: str) -> Signal:
    return signal if signal.seen else replace(signal, seen=when)
