"""The numpy PDQ a query is hashed with gives pdqhash's bits; the query decode and border trim."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pdqhash
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from consentry.errors import UnreadableContent
from consentry.fingerprint import image_pdq
from consentry.fingerprint.image import (
    DECODE_SIZE,
    QUERY_REGIONS,
    _crop,
    _trim_border,
    load_image,
    load_query_image,
    query_fingerprint,
)

SAMPLES = sorted((Path(__file__).parents[2] / "src/consentry/samples/images").glob("*.jpg"))


def _pdqhash(pixels: np.ndarray) -> tuple[np.ndarray, int]:
    bits, quality = pdqhash.compute(np.ascontiguousarray(pixels, dtype=np.uint8))
    return np.packbits(np.asarray(bits, dtype=np.uint8)), int(quality)


def _turns(pixels: np.ndarray) -> list[np.ndarray]:
    return [p for k in range(4) for p in (np.rot90(pixels, k), np.rot90(pixels, k)[:, ::-1])]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_eight_orientations_are_pdqhash_of_the_turned_pixels(path: Path) -> None:
    image = load_image(path.read_bytes())
    buffers = image_pdq.dihedral_buffers(image_pdq.luma(image))
    ours = image_pdq.hashes(buffers)
    expected = [_pdqhash(p) for p in _turns(np.asarray(image))]
    # The same eight hashes, in some order, bit for bit.
    assert sorted(h.tobytes() for h in ours) == sorted(h.tobytes() for h, _ in expected)
    assert int(image_pdq.quality(buffers[:1])[0]) == expected[0][1]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_query_rows_are_pdqhash_of_the_query_pixels(path: Path) -> None:
    data = path.read_bytes()
    image = load_query_image(data)
    fp = query_fingerprint(data)
    turned = sorted(_pdqhash(p)[0].tobytes() for p in _turns(np.asarray(image)))
    assert sorted(h.tobytes() for h in fp.hashes[:8]) == turned
    regions = [_pdqhash(_crop(image, box))[0] for box in QUERY_REGIONS]
    assert [h.tobytes() for h in fp.hashes[8 : 8 + len(regions)]] == [r.tobytes() for r in regions]
    assert fp.quality == _pdqhash(np.asarray(image))[1]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 700),
    st.integers(1, 700),
    st.integers(0, 2**32 - 1),
)
def test_the_buffer_is_pdqs_buffer_for_any_size(height: int, width: int, seed: int) -> None:
    """Against pdqhash's own float output (its 16x16 DCT) on random pixels of any shape."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    expected, quality = pdqhash.compute_float(pixels)
    buffer = image_pdq.buffer(image_pdq.luma(Image.fromarray(pixels)))
    ours = (image_pdq._DCT @ buffer @ image_pdq._DCT.T).reshape(256)[::-1]
    assert np.allclose(ours, np.asarray(expected), atol=1e-2)
    assert int(image_pdq.quality(buffer[None])[0]) == quality


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 2000))
def test_each_kernel_row_averages(side: int) -> None:
    """Each 64x64 cell is a weighted mean of pixels inside the picture: weights sum to one."""
    indices, weights = image_pdq._kernel(side)
    assert indices.shape == weights.shape == (64, indices.shape[1])
    assert np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
    assert indices.min() >= 0 and indices.max() < side
    assert (weights >= 0).all()


def test_a_kernel_of_no_pixels_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one pixel"):
        image_pdq._kernel(0)


def _jpeg(image: Image.Image, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, **options)
    return out.getvalue()


@pytest.mark.parametrize("size", [(1024, 640), (640, 1024), (2000, 1500), (300, 200)])
def test_the_query_decode_has_load_images_size_and_nearly_its_pixels(
    size: tuple[int, int],
) -> None:
    photo = Image.open(SAMPLES[0]).convert("RGB").resize(size, Image.Resampling.BICUBIC)
    data = _jpeg(photo)
    fast, slow = load_query_image(data), load_image(data)
    assert fast.size == slow.size and max(fast.size) <= DECODE_SIZE
    difference = np.abs(np.asarray(fast, np.int16) - np.asarray(slow, np.int16))
    assert float(difference.mean()) < 4.0  # a resampling apart, not another picture


def test_the_query_decode_applies_exif_and_refuses_what_load_image_refuses() -> None:
    exif = Image.Exif()
    exif[0x0112] = 6
    data = _jpeg(Image.open(SAMPLES[0]).convert("RGB").resize((900, 600)), exif=exif.tobytes())
    assert load_query_image(data).size == load_image(data).size == (341, 512)
    for bad in (b"", b"not an image", data[: len(data) // 3]):
        with pytest.raises(UnreadableContent):
            load_query_image(bad)


def test_a_uniform_border_is_trimmed_and_a_picture_without_one_is_not() -> None:
    photo = Image.open(SAMPLES[1]).convert("RGB").resize((300, 200))
    framed = ImageOps.expand(photo, border=30, fill=(255, 255, 255))
    inner = _trim_border(image_pdq.luma(framed))
    assert inner is not None and inner.shape == (200, 300)
    assert _trim_border(image_pdq.luma(photo)) is None
    assert _trim_border(np.full((50, 50), 128.0, dtype=np.float32)) is None
