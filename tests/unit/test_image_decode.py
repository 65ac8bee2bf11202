"""Image decoding edge cases: every mode and container becomes RGB, every bad file is unreadable."""

from __future__ import annotations

import contextlib
import io
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from consentry.errors import UnreadableContent
from consentry.fingerprint import load_image, query_fingerprint, work_fingerprint
from consentry.fingerprint.image import DECODE_SIZE
from consentry.matching import ImageIndex, MatchKind


def _save(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def _gradient(width: int = 96, height: int = 64) -> Image.Image:
    """A picture with a clear left-to-right and top-to-bottom structure."""
    x = np.linspace(0, 255, width, dtype=np.float64)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float64)[:, None]
    red = np.broadcast_to(x, (height, width))
    green = np.broadcast_to(y, (height, width))
    blue = np.full((height, width), 40.0)
    return Image.fromarray(np.stack([red, green, blue], axis=2).astype(np.uint8))


def _png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` pixels, with no real pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_exif_orientation_is_applied() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: the viewer turns it 90 degrees clockwise
    data = _save(_gradient(96, 64), "JPEG", exif=exif.tobytes())
    assert load_image(data).size == (64, 96)


def test_animated_gif_gives_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 30), colour) for colour in ((250, 0, 0), (0, 0, 250))]
    data = _save(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=50)
    red, _green, blue = load_image(data).getpixel((20, 15))  # type: ignore[misc]
    assert red > 200 and blue < 50


def test_transparency_is_composited_on_white() -> None:
    clear = Image.new("RGBA", (32, 32), (0, 0, 0, 0))
    assert load_image(_save(clear, "PNG")).getpixel((5, 5)) == (255, 255, 255)
    palette = Image.new("P", (32, 32), 0)
    palette.putpalette([0, 0, 0] * 256)
    assert load_image(_save(palette, "PNG", transparency=0)).getpixel((5, 5)) == (255, 255, 255)


def test_sixteen_bit_keeps_its_contrast() -> None:
    ramp = np.tile(np.linspace(0, 65535, 64, dtype=np.uint16), (16, 1))
    image = load_image(_save(Image.fromarray(ramp), "PNG"))
    grey = np.asarray(image)[:, :, 0]
    assert grey[:, 0].max() < 10 and grey[:, -1].min() > 245


def test_big_jpegs_are_decoded_downscaled() -> None:
    image = load_image(_save(_gradient(3000, 2000), "JPEG", quality=80))
    assert max(image.size) <= DECODE_SIZE and image.mode == "RGB"


def test_truncated_jpeg_is_refused_not_guessed() -> None:
    data = _save(_gradient(400, 300), "JPEG", quality=90)
    with pytest.raises(UnreadableContent, match="cannot decode image"):
        load_image(data[: len(data) // 2])


def test_text_named_as_jpeg_is_unreadable() -> None:
    with pytest.raises(UnreadableContent, match="cannot decode image"):
        load_image(b"<html><body>this is not a photo.jpg</body></html>\n" * 20)


def test_a_header_claiming_ten_billion_pixels_is_refused_before_decoding() -> None:
    with pytest.raises(UnreadableContent, match="too_large"):
        load_image(_png_header(100_000, 100_000))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=600))
def test_random_bytes_never_crash(data: bytes) -> None:
    with contextlib.suppress(UnreadableContent):
        load_image(b"\xff\xd8\xff" + data)


@settings(max_examples=60, deadline=None)
@given(st.binary(min_size=1, max_size=2000), st.integers(0, 4000))
def test_damaged_pngs_decode_or_are_unreadable(noise: bytes, at: int) -> None:
    data = bytearray(_save(_gradient(), "PNG"))
    at = min(at, len(data) - 1)
    data[at : at + len(noise)] = noise
    with contextlib.suppress(UnreadableContent):
        assert load_image(bytes(data)).mode == "RGB"


def test_a_work_matches_itself_in_every_container() -> None:
    rng = np.random.default_rng(3)
    picture = Image.fromarray(rng.integers(0, 255, (24, 32, 3), dtype=np.uint8)).resize(
        (320, 240), Image.Resampling.BICUBIC
    )
    index = ImageIndex()
    index.add("w", work_fingerprint(_save(picture, "PNG")))
    index.compact()
    for fmt in ("JPEG", "WEBP", "TIFF", "GIF", "BMP"):
        result = index.query(query_fingerprint(_save(picture, fmt)))
        assert [m.work_id for m in result.matches] == ["w"], fmt
        assert result.matches[0].kind is MatchKind.NEAR
