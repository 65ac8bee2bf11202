"""Exact fingerprints: raw bytes and normalised content, each normalisation named."""

from __future__ import annotations

import hashlib
import io
import struct
import wave
import zlib

import pytest
from PIL import Image, PngImagePlugin

from consentry.domain import WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint.exact import (
    IMAGE_NORM,
    MAX_IMAGE_PIXELS,
    TEXT_NORM,
    exact_fingerprints,
    normalise_text,
    sniff_kind,
)


def png(image: Image.Image, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()


def gradient(width: int = 32, height: int = 24) -> Image.Image:
    image = Image.new("RGB", (width, height))
    image.putdata(
        [(x * 7 % 256, y * 11 % 256, (x + y) % 256) for y in range(height) for x in range(width)]
    )
    return image


def png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk claiming ``width`` x ``height`` RGB pixels, no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * 800)
    return buffer.getvalue()


# --- text-v1 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "hello world",
        "Hello World",
        "HELLO   WORLD",
        "  hello\n\tworld \r\n",
        "hello\u00a0world",  # no-break space
        "\uff28\uff45\uff4c\uff4c\uff4f world",  # fullwidth letters fold under NFKC
        "\ufeffhello world",  # byte order mark
    ],
)
def test_text_v1_folds_case_whitespace_and_compatibility_forms(variant: str) -> None:
    reference = exact_fingerprints(b"hello world", WorkKind.TEXT)
    found = exact_fingerprints(variant.encode("utf-8"), WorkKind.TEXT)
    assert found.norm == TEXT_NORM
    assert found.content_sha256 == reference.content_sha256
    if variant != "hello world":
        assert found.sha256 != reference.sha256


def test_text_v1_is_sha256_of_the_normalised_text() -> None:
    found = exact_fingerprints(b"Stra\xc3\x9fe  A", WorkKind.TEXT)
    assert normalise_text("Straße  A") == "strasse a"
    assert found.content_sha256 == hashlib.sha256(b"strasse a").hexdigest()
    assert found.sha256 == hashlib.sha256(b"Stra\xc3\x9fe  A").hexdigest()


def test_different_words_differ() -> None:
    one = exact_fingerprints(b"hello world", WorkKind.TEXT)
    other = exact_fingerprints(b"hello, world", WorkKind.TEXT)
    assert one.content_sha256 != other.content_sha256


def test_text_that_is_not_utf8_is_unreadable() -> None:
    with pytest.raises(UnreadableContent, match=r"not UTF-8 text \(byte 3"):
        exact_fingerprints("café".encode("latin-1"), WorkKind.TEXT)


# --- image-v1 ---------------------------------------------------------------------------------


def test_image_v1_matches_a_lossless_re_encode_but_the_raw_hash_does_not() -> None:
    image = gradient()
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "re-encoded")
    first = png(image, compress_level=1)
    second = png(image, compress_level=9, pnginfo=info)
    assert first != second
    a = exact_fingerprints(first, WorkKind.IMAGE)
    b = exact_fingerprints(second, WorkKind.IMAGE)
    assert a.norm == b.norm == IMAGE_NORM
    assert a.content_sha256 == b.content_sha256
    assert a.sha256 != b.sha256


def test_image_v1_sees_a_changed_pixel_and_a_changed_shape() -> None:
    image = gradient()
    changed = image.copy()
    changed.putpixel((0, 0), (255, 255, 255))
    base = exact_fingerprints(png(image), WorkKind.IMAGE).content_sha256
    assert exact_fingerprints(png(changed), WorkKind.IMAGE).content_sha256 != base
    flat = Image.new("RGB", (2, 6), (1, 2, 3))
    tall = Image.new("RGB", (6, 2), (1, 2, 3))
    assert (
        exact_fingerprints(png(flat), WorkKind.IMAGE).content_sha256
        != exact_fingerprints(png(tall), WorkKind.IMAGE).content_sha256
    )


def test_image_modes_normalise_to_rgb() -> None:
    grey = gradient().convert("L")
    opaque = gradient().convert("RGBA")
    assert (
        exact_fingerprints(png(grey), WorkKind.IMAGE).content_sha256
        == exact_fingerprints(png(grey.convert("RGB")), WorkKind.IMAGE).content_sha256
    )
    assert (
        exact_fingerprints(png(opaque), WorkKind.IMAGE).content_sha256
        == exact_fingerprints(png(gradient()), WorkKind.IMAGE).content_sha256
    )


@pytest.mark.parametrize(("width", "height"), [(9000, 8000), (20000, 20000), (100000, 100000)])
def test_a_decompression_bomb_header_is_unreadable(width: int, height: int) -> None:
    assert width * height > MAX_IMAGE_PIXELS
    with pytest.raises(UnreadableContent):
        exact_fingerprints(png_header(width, height), WorkKind.IMAGE)


def test_a_truncated_image_is_unreadable() -> None:
    data = png(gradient(64, 64))
    with pytest.raises(UnreadableContent, match="cannot decode image"):
        exact_fingerprints(data[: len(data) // 2], WorkKind.IMAGE)


def test_bytes_that_are_no_image_are_unreadable() -> None:
    with pytest.raises(UnreadableContent, match="cannot decode image"):
        exact_fingerprints(b"just some text", WorkKind.IMAGE)


def test_audio_and_video_have_only_the_raw_hash() -> None:
    data = wav()
    for kind in (WorkKind.AUDIO, WorkKind.VIDEO):
        found = exact_fingerprints(data, kind)
        assert found.sha256 == hashlib.sha256(data).hexdigest()
        assert found.content_sha256 is None
        assert found.norm is None


# --- sniff_kind -------------------------------------------------------------------------------


def test_sniff_kind_reads_the_first_bytes_not_the_name() -> None:
    jpeg = io.BytesIO()
    gradient().save(jpeg, format="JPEG")
    assert sniff_kind(png(gradient())) is WorkKind.IMAGE
    assert sniff_kind(jpeg.getvalue()) is WorkKind.IMAGE
    assert sniff_kind(wav()) is WorkKind.AUDIO
    assert sniff_kind("Plain text, ünïcödé.\n".encode()) is WorkKind.TEXT
    assert sniff_kind(b"\x00\x00\x00\x18ftypmp42") is WorkKind.VIDEO
    assert sniff_kind(b"\xff\xfe\xfd\x00binary\x80\x81") is None


def test_sniff_kind_treats_a_character_cut_at_the_window_as_text() -> None:
    data = b"a" * 4095 + "é".encode() + b"more"
    assert sniff_kind(data) is WorkKind.TEXT
    assert sniff_kind(b"a" * 10 + b"\xff" + b"a" * 5000) is None
