"""Text extraction from a document's bytes: .txt/.md, .html, .epub, .pdf, .docx.

The format is told from the content (magic bytes, and for zip files a look at
the members), never from the file name alone, so a mislabelled file is read as
what it is. Every failure is an :class:`~consentry.errors.UnreadableContent`
whose message starts with a short machine reason, ``unreadable:<why>``
(``empty``, ``not_text``, ``encrypted_pdf``, ``zip_bomb``, ``path_traversal``,
``bad_zip``, ``bad_pdf``, ``too_large``...), reached within bounded time and
memory: inputs are capped at :data:`MAX_BYTES`, archives by
:mod:`consentry.fingerprint.extract_zip`, PDFs by page count.
"""

from __future__ import annotations

import codecs
import enum

from charset_normalizer import from_bytes
from selectolax.lexbor import LexborHTMLParser

from consentry.fingerprint.extract_pdf import pdf_text
from consentry.fingerprint.extract_zip import SafeZip, docx_text, epub_spine, unreadable

MAX_BYTES = 256 * 1024 * 1024
_DROP_TAGS = (
    "script, style, noscript, template, nav, header, footer, aside, svg, head, form,"
    " [role=navigation], [role=banner], [role=contentinfo], [role=search]"
)
_MAIN = "main, [role=main], article"
# charset-normalizer's language coherence: below it a legacy-charset guess is noise, not text.
_MIN_COHERENCE = 0.1
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "pre",
        "blockquote",
        "section",
        "article",
        "dd",
        "dt",
    ]
)


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class DocFormat(enum.StrEnum):
    """The document formats text is extracted from."""

    TEXT = "text"
    HTML = "html"
    EPUB = "epub"
    PDF = "pdf"
    DOCX = "docx"


def sniff_format(data: bytes) -> DocFormat | None:
    """The document format of ``data`` from its content; None when it is not a document."""
    if data.startswith(b"%PDF-"):
        return DocFormat.PDF
    if data.startswith(b"PK\x03\x04"):
        if b"mimetypeapplication/epub+zip" in data[:100]:
            return DocFormat.EPUB
        head = data[:65536]
        if b"word/" in head or b"[Content_Types].xml" in head:
            return DocFormat.DOCX if b"word/" in data else None
        return DocFormat.EPUB if b"META-INF/container.xml" in data else None
    if b"\x00" in data[:4096] and not data.startswith(_BOMS):
        return None
    sample = data[:2048].lstrip().lower()
    if sample.startswith((b"<!doctype html", b"<html")) or b"<body" in sample[:1024]:
        return DocFormat.HTML
    return DocFormat.TEXT


def decode_text(data: bytes) -> str:
    """Bytes as text: a BOM (UTF-8/16/32) wins, then UTF-8, then charset detection."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise unreadable("bad_encoding", f"invalid {codec}: {exc}") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"not UTF-8 text (byte {exc.start})"
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.encoding is None or best.coherence < _MIN_COHERENCE:
        raise unreadable(
            "not_utf8",
            f"{utf8_error}, and no other encoding gives readable text",
            hint="convert the file to UTF-8",
        )
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise unreadable("not_utf8", f"{utf8_error}, nor {best.encoding}: {exc}") from exc


def html_text(markup: str | bytes) -> str:
    """The readable text of an HTML page: scripts, styles and navigation dropped."""
    tree = LexborHTMLParser(markup)
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    body = tree.css_first(_MAIN) or tree.body or tree.root
    if body is None:
        return ""
    for node in body.traverse():
        if node.tag in _BLOCK_TAGS:
            node.insert_before("\n")
    lines = (" ".join(line.split()) for line in str(body.text(deep=True)).splitlines())
    return "\n".join(line for line in lines if line)


def _epub_text(data: bytes) -> str:
    archive = SafeZip(data)
    return "\n\n".join(html_text(archive.read(name)) for name in epub_spine(archive))


def extract_text(data: bytes, fmt: DocFormat | None = None) -> tuple[DocFormat, str]:
    """The document's format and its text; ``unreadable:<why>`` when there is none."""
    if len(data) > MAX_BYTES:
        raise unreadable("too_large", f"{len(data)} bytes (limit {MAX_BYTES})")
    if not data.strip():
        raise unreadable("empty", "the file has no content")
    fmt = fmt or sniff_format(data)
    if fmt is None:
        raise unreadable("unknown_format", "not a text, HTML, EPUB, PDF or DOCX document")
    if fmt is DocFormat.PDF:
        text = pdf_text(data)
    elif fmt is DocFormat.DOCX:
        text = docx_text(data)
    elif fmt is DocFormat.EPUB:
        text = _epub_text(data)
    elif fmt is DocFormat.HTML:
        text = html_text(decode_text(data))
    else:
        text = decode_text(data)
    if not text.strip():
        raise unreadable("empty", f"the {fmt} document holds no text")
    return fmt, text
