"""PDF text with pypdf, bounded in pages and characters; encrypted files refused."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from consentry.errors import UnreadableContent
from consentry.fingerprint.extract_zip import unreadable

MAX_PAGES = 2_000
MAX_CHARS = 20_000_000


def pdf_text(data: bytes) -> str:
    """The text of a PDF's pages, one page per block; ``unreadable:*`` when it cannot be read."""
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise unreadable(
                "encrypted_pdf", "the PDF is encrypted", hint="register the unencrypted file"
            )
        pages = reader.pages
        if len(pages) > MAX_PAGES:
            raise unreadable("too_large", f"{len(pages)} pages (limit {MAX_PAGES})")
        out: list[str] = []
        total = 0
        for page in pages:
            text = page.extract_text() or ""
            total += len(text)
            if total > MAX_CHARS:
                raise unreadable("too_large", f"over {MAX_CHARS} characters of text")
            out.append(text)
    except UnreadableContent:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        OSError,
        AssertionError,
        ZeroDivisionError,
    ) as exc:
        raise unreadable("bad_pdf", f"{type(exc).__name__}: {exc}") from exc
    return "\n\n".join(out)
