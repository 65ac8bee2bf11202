"""Text extraction and ISCC speed per format, as ratios to SHA-256 measured in the same run.

Sources (installed Debian packages, read at run time, nothing shipped):
- HTML: ``python3-doc`` (/usr/share/doc/python3-doc/html, PSF licence), library pages.
- PDF: ``libtasn1-doc`` (libtasn1.pdf, GFDL) and ``shared-mime-info`` (spec PDF, GPL-2+).
- EPUB and DOCX: built here in memory from the same python3-doc pages' extracted text
  (EPUB: the HTML pages zipped with an OPF spine; DOCX: one ``w:p`` per line).
- Plain text: the extracted text of those pages, UTF-8.

Run pinned to one core (other jobs share the machine):

    taskset -c 0 .venv/bin/python bench/bench_extract.py
"""

from __future__ import annotations

import hashlib
import io
import time
import zipfile
from collections.abc import Callable
from html import escape
from pathlib import Path

from consentry.fingerprint.extract import extract_text, html_text
from consentry.fingerprint.iscc import iscc_codes, text_code

HTML_DIR = Path("/usr/share/doc/python3-doc/html/library")
PDFS = [
    Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"),
    Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
]


def rate(fn: Callable[[], object], size: int, repeat: int = 3) -> float:
    """Best-of-``repeat`` throughput in MB/s."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return size / best / 1e6


def make_epub(pages: list[bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
            '<rootfile full-path="content.opf"/></rootfiles></container>',
        )
        items = "".join(f'<item id="p{i}" href="p{i}.html"/>' for i in range(len(pages)))
        spine = "".join(f'<itemref idref="p{i}"/>' for i in range(len(pages)))
        archive.writestr(
            "content.opf", f"<package><manifest>{items}</manifest><spine>{spine}</spine></package>"
        )
        for i, page in enumerate(pages):
            archive.writestr(f"p{i}.html", page)
    return buffer.getvalue()


def make_docx(text: str) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in text.splitlines())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        )
    return buffer.getvalue()


def main() -> None:
    pages = [p.read_bytes() for p in sorted(HTML_DIR.glob("*.html"))[:120]]
    texts = [html_text(p) for p in pages]
    joined = "\n".join(texts)
    samples: dict[str, list[bytes]] = {
        "txt": [t.encode() for t in texts],
        "html": pages,
        "epub": [make_epub(pages[i : i + 20]) for i in range(0, len(pages), 20)],
        "docx": [make_docx(t) for t in texts[:60]],
        "pdf": [p.read_bytes() for p in PDFS if p.exists()],
    }
    everything = b"".join(pages)
    sha = rate(lambda: hashlib.sha256(everything).digest(), len(everything), 5)
    print(f"anchor sha256: {sha:.0f} MB/s (one core)\n")
    print("| format | files | MB | extract MB/s | x sha256 |")
    print("|---|---|---|---|---|")
    for fmt, files in samples.items():
        size = sum(map(len, files))
        mbps = rate(lambda files=files: [extract_text(f) for f in files], size, 2)
        print(f"| {fmt} | {len(files)} | {size / 1e6:.2f} | {mbps:.2f} | {mbps / sha:.4f} |")
    data = joined.encode()
    text_rate = rate(lambda: text_code(joined), len(data), 2)
    bytes_rate = rate(lambda: iscc_codes(data), len(data), 2)
    print(f"\nISCC text Content-Code: {text_rate:.2f} MB/s ({text_rate / sha:.4f} x sha256)")
    print(f"ISCC Data+Instance codes: {bytes_rate:.2f} MB/s ({bytes_rate / sha:.4f} x sha256)")


if __name__ == "__main__":
    main()
