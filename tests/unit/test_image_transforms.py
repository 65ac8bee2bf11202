"""Image copies the global hash alone misses: small rotations, banners, random 25% crops."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from consentry.fingerprint import query_fingerprint, work_fingerprint
from consentry.matching import ImageIndex, load_image_index, save_image_index

SAMPLES = sorted(
    (Path(__file__).resolve().parents[2] / "src/consentry/samples/images").glob("*.jpg")
)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ImageIndex:
    built = ImageIndex()
    for path in SAMPLES:
        built.add(path.stem, work_fingerprint(path.read_bytes()))
    built.remove(SAMPLES[-1].stem)
    folder = tmp_path_factory.mktemp("idx") / "image"
    save_image_index(built, folder)
    return load_image_index(folder)


def _banner(image: Image.Image) -> Image.Image:
    out = image.convert("RGB")
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, out.height * 88 // 100, out.width, out.height), fill=(15, 15, 15))
    draw.text((10, out.height * 91 // 100), "reposted from somewhere", fill=(255, 255, 255))
    return out


@pytest.mark.parametrize("angle", [-5, 3, 5])
@pytest.mark.parametrize("path", SAMPLES[:-1], ids=lambda p: p.stem)
def test_small_rotations_are_found(index: ImageIndex, path: Path, angle: int) -> None:
    turned = Image.open(path).rotate(angle, Image.Resampling.BICUBIC)
    result = index.query(query_fingerprint(_jpeg(turned)))
    assert [m.work_id for m in result.matches] == [path.stem]


@pytest.mark.parametrize("path", SAMPLES[:-1], ids=lambda p: p.stem)
def test_banners_are_found(index: ImageIndex, path: Path) -> None:
    result = index.query(query_fingerprint(_jpeg(_banner(Image.open(path)))))
    assert [m.work_id for m in result.matches] == [path.stem]
    distance = result.matches[0].evidence["distance"]
    assert isinstance(distance, int) and distance <= index.thresholds.region_distance


def test_a_removed_work_is_gone_after_save_and_load(index: ImageIndex) -> None:
    assert SAMPLES[-1].stem not in index and len(index) == len(SAMPLES) - 1
    result = index.query(query_fingerprint(SAMPLES[-1].read_bytes()))
    assert result.matches == ()


@settings(max_examples=8, deadline=None)
@given(st.floats(0.0, 0.125), st.sampled_from(range(len(SAMPLES) - 1)))
def test_centre_crops_up_to_25_percent_are_found(index: ImageIndex, cut: float, which: int) -> None:
    """Centred crops of any depth up to 12.5% a side (off-centre crops are a known weakness)."""
    image = Image.open(SAMPLES[which])
    w, h = image.size
    box = (round(cut * w), round(cut * h), round((1 - cut) * w), round((1 - cut) * h))
    result = index.query(query_fingerprint(_jpeg(image.crop(box))))
    assert SAMPLES[which].stem in [m.work_id for m in result.matches]
