"""Images' quality floors: which rows of a work the index holds, and what a low one matches."""

from __future__ import annotations

import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageOps

from consentry.domain import WorkKind
from consentry.fingerprint.image import (
    IMAGE_SCHEME,
    MIN_QUALITY,
    QUERY_TRIMMED,
    REGION_MIN_QUALITY,
    WHOLE_MIN_QUALITY,
    ImageFingerprint,
    query_fingerprint,
    work_fingerprint,
)
from consentry.fingerprint.near import decode_image, work_fingerprints
from consentry.matching import MatchKind
from consentry.matching.image_index import QUERY_ORIENTATIONS, ImageIndex, ImageThresholds


def _jpeg(pixels: np.ndarray | Image.Image, quality: int = 90) -> bytes:
    image = pixels if isinstance(pixels, Image.Image) else Image.fromarray(pixels)
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _soft() -> np.ndarray:
    """Soft blobs on grey: PDQ quality 24, between the two floors."""
    rng = np.random.default_rng(1)
    y, x = np.mgrid[0:240, 0:320]
    blobs = np.zeros((240, 320))
    for _ in range(12):
        cx, cy = rng.uniform(0, 320), rng.uniform(0, 240)
        size, height = rng.uniform(15, 60), rng.uniform(-40, 40)
        blobs += height * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * size * size))
    return (110 + 1.5 * blobs).clip(0, 255).astype(np.uint8)


def test_the_floors_are_ordered_and_video_frames_keep_theirs() -> None:
    assert 0 < WHOLE_MIN_QUALITY < REGION_MIN_QUALITY < MIN_QUALITY == 50


def test_a_low_information_work_is_stored_whole_and_matched_by_near_exact_copies() -> None:
    data = _jpeg(_soft())
    prints = work_fingerprints(data, WorkKind.IMAGE)
    stored = decode_image(prints.near[IMAGE_SCHEME])
    assert WHOLE_MIN_QUALITY <= stored.quality < REGION_MIN_QUALITY
    assert np.array_equal(stored.hashes, work_fingerprint(data).hashes)  # every v1 row kept
    index = ImageIndex()
    assert index.add("soft", stored)
    image = Image.open(io.BytesIO(data))
    # (a heavy re-encode or a halving can move a soft picture's hash 40-60 bits:
    # its bits rest on small coefficients; the dev set's wallpapers hold better)
    for copy in (
        _jpeg(image, 85),
        _jpeg(ImageOps.mirror(image)),
        _jpeg(image.rotate(90, expand=True)),
        _jpeg(ImageOps.expand(image, border=32, fill="white")),
    ):
        found = index.query(query_fingerprint(copy)).matches
        assert [m.work_id for m in found] == ["soft"]
        assert found[0].evidence["low_information"] is True
        assert found[0].evidence["work_region"] == 0


def test_a_flat_work_gets_no_near_fingerprint_and_a_flat_query_is_refused() -> None:
    flat = _jpeg(np.full((200, 300), 90, np.uint8))
    assert work_fingerprints(flat, WorkKind.IMAGE).near == {}
    index = ImageIndex()
    assert not index.add("flat", work_fingerprint(flat))
    assert "flat" not in index
    assert index.query(query_fingerprint(flat)).refused == "low_information: PDQ quality 0"


def _reference(
    works: dict[str, tuple[np.ndarray, int]], query: np.ndarray, t: ImageThresholds
) -> dict[str, tuple[MatchKind, int]]:
    """Best (kind, distance) per work by a linear scan that applies the floors' rules."""
    best: dict[str, tuple[MatchKind, int]] = {}
    for work_id, (hashes, quality) in works.items():
        if quality < t.min_quality:
            continue
        low = quality < t.region_quality
        for w_region, stored in enumerate(hashes[:1] if low else hashes):
            for q_region, q in enumerate(query):
                oriented = q_region < QUERY_ORIENTATIONS
                if low and not (oriented or q_region == QUERY_TRIMMED):
                    continue
                d = int(np.unpackbits(stored ^ q).sum())
                whole = w_region == 0 and oriented
                if d <= (t.near_distance if whole else t.region_distance):
                    found = (MatchKind.NEAR if whole else MatchKind.EXCERPT, d)
                    if work_id not in best or rank(found) < rank(best[work_id]):
                        best[work_id] = found
    return best


def rank(found: tuple[MatchKind, int]) -> tuple[int, int]:
    """A near match beats an excerpt, then the closer one wins (as ``strongest_per_work``)."""
    return (found[0] is not MatchKind.NEAR, found[1])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    qualities=st.lists(st.integers(0, 60), min_size=1, max_size=6),
    flips=st.lists(st.integers(0, 40), min_size=QUERY_TRIMMED + 1, max_size=QUERY_TRIMMED + 1),
)
def test_the_index_keeps_the_floors_rules_like_a_linear_scan(
    seed: int, qualities: list[int], flips: list[int]
) -> None:
    rng = np.random.default_rng(seed)
    works = {
        f"w{i}": (rng.integers(0, 256, (4, 32), dtype=np.uint8), q) for i, q in enumerate(qualities)
    }
    # each query row is a random work row with some bits flipped
    rows = [works[f"w{rng.integers(len(works))}"][0][rng.integers(4)] for _ in flips]
    masks = [rng.permutation(256) < f for f in flips]
    query = np.stack([np.packbits(np.unpackbits(r) ^ m) for r, m in zip(rows, masks, strict=True)])
    t = ImageThresholds(min_quality=5, region_quality=30)
    index = ImageIndex(t)
    for work_id, (hashes, quality) in works.items():
        assert index.add(work_id, ImageFingerprint(IMAGE_SCHEME, hashes, quality)) == (
            quality >= t.min_quality
        )
    index.compact()
    found = index.query(ImageFingerprint(IMAGE_SCHEME, query, 100)).matches
    got = {m.work_id: (m.kind, int(str(m.evidence["distance"]))) for m in found}
    assert got == _reference(works, query, t)
