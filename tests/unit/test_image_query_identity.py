"""The faster query PDQ gives, bit for bit, the hashes and quality of the code it replaced.

``_reference_*`` below are copies of ``image_pdq.luma``, ``_rows`` and
``hashes`` as they were before the speed-up (Pillow's float luma, one einsum
over a gathered 64 x k x w array, ``np.median``); the query fingerprint built
from them must equal ``query_fingerprint`` on real pictures and on random
sizes and crops of them.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from consentry.fingerprint import image_pdq
from consentry.fingerprint.image import (
    QUERY_REGIONS,
    _trim_border,
    _turned_centres,
    load_query_image,
    query_fingerprint,
)

ROOT = Path(__file__).parents[2]
SAMPLES = sorted((ROOT / "src/consentry/samples/images").glob("*.jpg"))
SCAN = sorted((ROOT / "bench/out/scan-images-10000/000").glob("*.jpg"))[:200]
F32 = npt.NDArray[np.float32]


def _reference_crop_luma(pixels: F32, box: tuple[float, float, float, float]) -> F32:
    h, w = pixels.shape
    left, top, right, bottom = box
    return pixels[round(top * h) : round(bottom * h), round(left * w) : round(right * w)]


def _reference_luma(image: Image.Image) -> F32:
    return np.asarray(image.convert("F"), dtype=np.float32)


def _reference_rows(pixels: F32, indices: npt.NDArray[np.intp], weights: F32) -> F32:
    out: F32 = np.einsum("ik,ikw->iw", weights, pixels[indices], optimize=False)
    return out


def _reference_buffer(pixels: F32) -> F32:
    rows = _reference_rows(pixels, *image_pdq._kernel(pixels.shape[0]))
    return image_pdq._cols(rows, *image_pdq._kernel(pixels.shape[1]))


def _reference_dihedral(pixels: F32) -> F32:
    h, w = pixels.shape
    row_idx, row_w = image_pdq._kernel(h)
    col_idx, col_w = image_pdq._kernel(w)
    both_cols = np.concatenate([col_idx, w - 1 - col_idx])
    both_w = np.concatenate([col_w, col_w])
    pairs = [
        image_pdq._cols(_reference_rows(pixels, at, row_w), both_cols, both_w)
        for at in (row_idx, h - 1 - row_idx)
    ]
    unturned = np.stack([b for pair in pairs for b in (pair[:, :64], pair[:, 64:])])
    return np.concatenate([unturned, unturned.transpose(0, 2, 1)])


def _reference_hashes(buffers: F32) -> npt.NDArray[np.uint8]:
    coefficients = (image_pdq._DCT @ buffers @ image_pdq._DCT.T).reshape(len(buffers), 256)
    median = np.median(coefficients, axis=1, keepdims=True)
    return np.packbits((coefficients > median)[:, ::-1], axis=1)


def _reference_query(data: bytes) -> tuple[npt.NDArray[np.uint8], int]:
    image = load_query_image(data)
    pixels = _reference_luma(image)
    oriented = _reference_dihedral(pixels)
    buffers = [
        oriented,
        *(_reference_buffer(_reference_crop_luma(pixels, box))[None] for box in QUERY_REGIONS),
        *(_reference_buffer(turned)[None] for turned in _turned_centres(image)),
    ]
    trimmed = _trim_border(pixels)
    if trimmed is not None:
        buffers.append(_reference_buffer(trimmed)[None])
    quality = int(image_pdq.quality(oriented[:1])[0])
    return _reference_hashes(np.concatenate(buffers)), quality


def _assert_same(data: bytes) -> None:
    fp = query_fingerprint(data)
    hashes, quality = _reference_query(data)
    assert fp.hashes.dtype == hashes.dtype and fp.hashes.shape == hashes.shape
    assert np.array_equal(fp.hashes, hashes)
    assert fp.quality == quality


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92)
    return out.getvalue()


@pytest.mark.parametrize("path", SAMPLES + SCAN, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_the_query_fingerprint_is_the_previous_ones_bit_for_bit(path: Path) -> None:
    _assert_same(path.read_bytes())


def test_a_framed_picture_takes_the_trimmed_row_and_still_agrees() -> None:
    photo = Image.open(SAMPLES[0]).convert("RGB").resize((300, 220))
    framed = Image.new("RGB", (380, 300), (250, 250, 250))
    framed.paste(photo, (40, 40))
    data = _jpeg(framed)
    assert len(query_fingerprint(data)) == 13  # 8 orientations, 3 regions, 1 turn, the trim
    _assert_same(data)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, len(SAMPLES) - 1),
    st.floats(0.0, 0.6),
    st.floats(0.0, 0.6),
    st.integers(8, 900),
    st.integers(8, 900),
)
def test_random_crops_and_sizes_agree(
    index: int, left: float, top: float, width: int, height: int
) -> None:
    photo = Image.open(SAMPLES[index]).convert("RGB")
    w, h = photo.size
    box = (int(left * w), int(top * h), w - int(left * w * 0.5), h - int(top * h * 0.5))
    _assert_same(_jpeg(photo.crop(box).resize((width, height), Image.Resampling.BILINEAR)))


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 700), st.integers(1, 700), st.integers(0, 2**32 - 1))
def test_luma_rows_and_hashes_agree_on_random_pixels(height: int, width: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    image = Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))
    pixels = image_pdq.luma(image)
    assert pixels.dtype == np.float32
    assert np.array_equal(pixels, _reference_luma(image))
    assert np.array_equal(image_pdq.buffer(pixels), _reference_buffer(pixels))
    buffers = image_pdq.dihedral_buffers(pixels)
    assert np.array_equal(buffers, _reference_dihedral(pixels))
    assert np.array_equal(image_pdq.hashes(buffers), _reference_hashes(buffers))
