"""Exact fingerprints: SHA-256 of the raw bytes and of the normalised content.

The raw hash finds byte-identical copies. The content hash finds copies that
differ only in encoding details: for text, Unicode NFKC with case and
whitespace folded (``text-v1``); for images, the decoded RGB pixels and their
dimensions (``image-v1``), so that a lossless re-encode still matches. Each
normalisation is versioned by name, and the name travels with the hash.
"""

from __future__ import annotations

import hashlib
import io
import unicodedata
import warnings

from PIL import Image, UnidentifiedImageError

from consentry.domain import Fingerprints, WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint import kernel
from consentry.fingerprint.spaces import collapse_spaces

if kernel.BUILT:
    from consentry.fingerprint import _textkernel

TEXT_NORM = "text-v1"
IMAGE_NORM = "image-v1"
MAX_IMAGE_PIXELS = 64_000_000

_MAGIC: tuple[tuple[bytes, int, WorkKind], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, WorkKind.IMAGE),
    (b"\xff\xd8\xff", 0, WorkKind.IMAGE),
    (b"GIF87a", 0, WorkKind.IMAGE),
    (b"GIF89a", 0, WorkKind.IMAGE),
    (b"WEBP", 8, WorkKind.IMAGE),
    (b"II*\x00", 0, WorkKind.IMAGE),
    (b"MM\x00*", 0, WorkKind.IMAGE),
    (b"BM", 0, WorkKind.IMAGE),
    (b"WAVE", 8, WorkKind.AUDIO),
    (b"fLaC", 0, WorkKind.AUDIO),
    (b"OggS", 0, WorkKind.AUDIO),
    (b"ID3", 0, WorkKind.AUDIO),
    (b"ftyp", 4, WorkKind.VIDEO),
    (b"\x1aE\xdf\xa3", 0, WorkKind.VIDEO),
)


def sniff_kind(data: bytes) -> WorkKind | None:
    """Tell a file's kind from its first bytes, not its name; None when unknown."""
    for magic, offset, kind in _MAGIC:
        if data[offset : offset + len(magic)] == magic:
            return kind
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the 4096-byte boundary is still text.
        if exc.start < 4093:
            return None
    return WorkKind.TEXT


def normalise_text(text: str) -> str:
    """``text-v1``: NFKC, case folded, every run of whitespace one space, trimmed."""
    if kernel.ACTIVE:
        return normalised_utf8(text).decode("utf-8", "surrogatepass")
    if text.isascii():  # NFKC leaves ASCII as it is, and folds its case as lower() does
        return collapse_spaces(text.lower())
    return collapse_spaces(unicodedata.normalize("NFKC", text).casefold())


def normalised_utf8(text: str) -> bytes:
    """``normalise_text(text)`` as UTF-8 (a lone surrogate written as surrogatepass does):
    the bytes the ``text-v1`` content hash is taken of, without the string in between."""
    if not kernel.ACTIVE:
        return normalise_text(text).encode("utf-8", "surrogatepass")
    if text.isascii():
        return _textkernel.collapse_utf8(text, True)
    return _textkernel.text_v1_utf8(text, _nfkc_casefold)


def _nfkc_casefold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def decode_text_bytes(data: bytes) -> str:
    """A text work's bytes as text: UTF-8 (a byte-order mark is dropped), or UnreadableContent."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableContent(
            f"not UTF-8 text (byte {exc.start}: {data[exc.start : exc.start + 1]!r})",
            hint="convert the file to UTF-8, or register it with its fingerprints",
        ) from exc


def _image_content(data: bytes) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_IMAGE_PIXELS:
                    raise UnreadableContent(
                        f"image of {image.width}x{image.height} pixels exceeds the "
                        f"{MAX_IMAGE_PIXELS:,}-pixel limit"
                    )
                rgb = image.convert("RGB")
        except (
            UnidentifiedImageError,
            OSError,
            Image.DecompressionBombWarning,
            Image.DecompressionBombError,
            ValueError,
        ) as exc:
            raise UnreadableContent(f"cannot decode image: {exc}") from exc
    return f"{rgb.width}x{rgb.height}:".encode() + rgb.tobytes()


def exact_fingerprints(data: bytes, kind: WorkKind) -> Fingerprints:
    """Raw and content SHA-256 of ``data`` read as ``kind``.

    Audio and video have no content normalisation yet: their content hash is
    left empty rather than guessed.
    """
    raw = hashlib.sha256(data).hexdigest()
    if kind is WorkKind.TEXT:
        content = normalised_utf8(decode_text_bytes(data))
        return Fingerprints(raw, hashlib.sha256(content).hexdigest(), TEXT_NORM)
    if kind is WorkKind.IMAGE:
        return Fingerprints(raw, hashlib.sha256(_image_content(data)).hexdigest(), IMAGE_NORM)
    return Fingerprints(sha256=raw)
