"""Image near copies: PDQ over orientations and regions; refused when too little to match."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageOps

from consentry.errors import UnreadableContent
from consentry.fingerprint.image import (
    QUERY_ANGLES,
    QUERY_TRIMMED,
    load_image,
    query_fingerprint,
    work_fingerprint,
)
from consentry.fingerprint.near import decode_near, encode_image
from consentry.matching import MatchKind
from consentry.matching.image_index import ImageIndex
from consentry.matching.image_store import load_image_index, save_image_index

SAMPLES = sorted(
    (Path(__file__).resolve().parents[2] / "src/consentry/samples/images").glob("*.jpg")
)


def _jpeg(image: Image.Image, quality: int = 70) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> ImageIndex:
    built = ImageIndex()
    for path in SAMPLES:
        built.add(path.stem, work_fingerprint(path.read_bytes()))
    folder = tmp_path_factory.mktemp("idx") / "image"
    save_image_index(built, folder)
    return load_image_index(folder)


TRANSFORMS = {
    "re-encode": lambda im: _jpeg(im, 35),
    "half size": lambda im: _jpeg(im.resize((im.width // 2, im.height // 2))),
    "grayscale": lambda im: _jpeg(ImageOps.grayscale(im)),
    "mirror": lambda im: _jpeg(ImageOps.mirror(im)),
    "quarter turn": lambda im: _jpeg(im.rotate(90, expand=True)),
    "25% crop": lambda im: _jpeg(
        im.crop((im.width // 8, im.height // 8, im.width * 7 // 8, im.height * 7 // 8))
    ),
    "20% cut": lambda im: _jpeg(im.crop((im.width // 5, 0, im.width, im.height))),
    "10% border": lambda im: _jpeg(ImageOps.expand(im, border=im.width // 10, fill="white")),
    "5-degree turn": lambda im: _jpeg(im.rotate(5, Image.Resampling.BICUBIC)),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_transformed_copies_are_found(index: ImageIndex, path: Path, transform: str) -> None:
    item = TRANSFORMS[transform](Image.open(path))
    result = index.query(query_fingerprint(item))
    assert [m.work_id for m in result.matches] == [path.stem], transform
    whole = transform in ("re-encode", "half size", "grayscale", "mirror", "quarter turn")
    assert result.matches[0].kind is (MatchKind.NEAR if whole else MatchKind.EXCERPT)


@pytest.mark.parametrize("angle", [-7, -5, -3, 3, 5])
def test_odd_degree_turns_are_met_by_the_querys_own_turns(index: ImageIndex, angle: int) -> None:
    """The work is turned every 2 degrees; the query's 1-degree turn fills the odd ones."""
    turned_rows = range(QUERY_TRIMMED - len(QUERY_ANGLES), QUERY_TRIMMED)
    for path in SAMPLES:
        item = _jpeg(Image.open(path).rotate(angle, Image.Resampling.BICUBIC))
        fp = query_fingerprint(item)
        assert len(fp) == QUERY_TRIMMED  # no border: no trimmed row
        (match,) = index.query(fp).matches
        assert match.work_id == path.stem
        assert match.evidence["item_region"] in turned_rows


def test_unrelated_and_flat_images(index: ImageIndex) -> None:
    rng = np.random.default_rng(7)
    noise = Image.fromarray(rng.integers(0, 255, (240, 320, 3), dtype=np.uint8))
    assert index.query(query_fingerprint(_jpeg(noise))).matches == ()
    flat = index.query(query_fingerprint(_jpeg(Image.new("RGB", (300, 200), (40, 90, 200)))))
    assert flat.refused is not None and flat.refused.startswith("low_information")


def test_removed_works_stop_matching_and_fingerprints_round_trip(index: ImageIndex) -> None:
    fp = work_fingerprint(SAMPLES[0].read_bytes())
    back = decode_near(encode_image(fp))
    assert np.array_equal(back.hashes, fp.hashes)  # type: ignore[union-attr]
    local = ImageIndex()
    local.add("w", fp)
    local.compact()
    assert local.remove("w")
    assert local.query(query_fingerprint(SAMPLES[0].read_bytes())).matches == ()


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xd8\xff\xe0 truncated jpeg", b"GIF89a" + bytes(10), b"not an image at all"],
    ids=["empty", "truncated-jpeg", "broken-gif", "text"],
)
def test_bad_images_are_unreadable(data: bytes) -> None:
    with pytest.raises(UnreadableContent):
        load_image(data)


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")
    with pytest.raises(UnreadableContent, match="too_large"):
        load_image(out.getvalue())


def test_modes_decode_to_rgb() -> None:
    for image in (
        Image.new("CMYK", (64, 48), (10, 200, 30, 0)),
        Image.new("LA", (64, 48), (120, 128)),
        Image.new("P", (64, 48), 3),
        Image.new("I;16", (64, 48), 40000),
    ):
        out = io.BytesIO()
        image.save(out, "TIFF")
        assert load_image(out.getvalue()).mode == "RGB", image.mode
