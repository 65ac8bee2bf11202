"""Every fingerprint of one work, as ``consentry fingerprint FILE`` prints it.

This is what a creator runs to register a work without uploading it (DESIGN's
"Works import", fingerprint-only registration): the raw SHA-256, the
normalised-content SHA-256 with its normalisation's name, the near-copy
fingerprint (``text-shingle-v1`` for text, ``image-pdq-v1`` for images), and
the ISCC codes. Text is first extracted from its document format
(:mod:`consentry.fingerprint.extract`), so an HTML, EPUB, PDF or DOCX work is
fingerprinted by what it says, not by its markup.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field

from consentry.domain import Fingerprints, WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint.exact import TEXT_NORM, sniff_kind
from consentry.fingerprint.extract import DocFormat, extract_text, sniff_format
from consentry.fingerprint.image import load_image
from consentry.fingerprint.iscc import image_code, iscc_codes, text_code
from consentry.fingerprint.near import NearFingerprint, encode_text, work_fingerprints
from consentry.fingerprint.text import TextFingerprint, content_sha256, text_fingerprint

_DOCUMENTS = (DocFormat.PDF, DocFormat.DOCX, DocFormat.EPUB)
_UNICODE_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True, slots=True)
class WorkPrints:
    """A work's kind, its document format (texts only), fingerprints and ISCC codes."""

    kind: WorkKind
    fingerprints: Fingerprints
    iscc: dict[str, str] = field(default_factory=dict)
    doc_format: DocFormat | None = None

    def as_import(self) -> dict[str, object]:
        """The object the works import takes under ``fingerprints`` (base64 near-copy data)."""
        prints = self.fingerprints
        row: dict[str, object] = {"sha256": prints.sha256 or ""}
        if prints.content_sha256 and prints.norm:
            row |= {"content_sha256": prints.content_sha256, "norm": prints.norm}
        if prints.near:
            row["near"] = {
                scheme: NearFingerprint(scheme, data).to_text()
                for scheme, data in prints.near.items()
            }
        if self.iscc:
            row["iscc"] = dict(self.iscc)
        return row


def detect_kind(data: bytes) -> WorkKind | None:
    """The work's kind from its content: magic bytes, and a look inside documents."""
    kind = sniff_kind(data)
    if kind is not None:
        return kind
    fmt = sniff_format(data)
    if fmt in _DOCUMENTS or (fmt is not None and data.startswith(_UNICODE_BOMS)):
        return WorkKind.TEXT
    return None


def text_fingerprints(data: bytes) -> tuple[DocFormat, str, Fingerprints]:
    """A text work's format, extracted text, and exact and near-copy fingerprints."""
    fmt, text, prints, _ = text_fingerprints_with_shingles(data)
    return fmt, text, prints


def text_fingerprints_with_shingles(
    data: bytes,
) -> tuple[DocFormat, str, Fingerprints, TextFingerprint]:
    """As :func:`text_fingerprints`, also giving the shingles, so a search need not redo them."""
    fmt, text = extract_text(data)
    shingles = text_fingerprint(text, with_content_hash=False)
    near = encode_text(shingles)
    prints = Fingerprints(
        sha256=hashlib.sha256(data).hexdigest(),
        content_sha256=content_sha256(text),
        norm=TEXT_NORM,
        near={near.scheme: near.data},
    )
    return fmt, text, prints, shingles


def work_prints(data: bytes, kind: WorkKind | None = None) -> WorkPrints:
    """Every fingerprint of a work's bytes; UnreadableContent (``unreadable:<why>``) if none."""
    if not data:
        raise UnreadableContent("unreadable:empty: the file is empty")
    resolved = kind or detect_kind(data)
    if resolved is None:
        raise UnreadableContent(
            "unreadable:unknown_kind: cannot tell what kind of work this is",
            hint="give --kind text|image|audio|video",
        )
    if resolved is WorkKind.TEXT:
        fmt, text, prints = text_fingerprints(data)
        return WorkPrints(resolved, prints, iscc_codes(data, text_code(text)), fmt)
    if resolved is WorkKind.IMAGE:
        prints = work_fingerprints(data, resolved)
        return WorkPrints(resolved, prints, iscc_codes(data, image_code(load_image(data))))
    return WorkPrints(resolved, work_fingerprints(data, resolved), iscc_codes(data))
