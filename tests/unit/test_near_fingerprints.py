"""The portable form of near-copy fingerprints: what an import carries and the registry stores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import WorkKind
from consentry.errors import InvalidInput
from consentry.fingerprint.near import (
    NearFingerprint,
    decode_near,
    decode_text,
    encode_text,
    work_fingerprints,
)
from consentry.fingerprint.text import TEXT_SHINGLE_SCHEME, text_fingerprint

PSALM = (
    "The LORD is my shepherd; I shall not want. He maketh me to lie down in green "
    "pastures: he leadeth me beside the still waters. He restoreth my soul: he leadeth "
    "me in the paths of righteousness for his name's sake. "
) * 4


@given(st.text(min_size=0, max_size=3000))
def test_text_fingerprints_survive_the_round_trip_exactly(text: str) -> None:
    fp = text_fingerprint(text, with_content_hash=False)
    near = encode_text(fp)
    back = decode_near(NearFingerprint.from_text(near.scheme, near.to_text()))
    assert near.scheme == TEXT_SHINGLE_SCHEME
    assert np.array_equal(back.hashes, fp.hashes)
    assert np.array_equal(back.starts, fp.starts)
    assert np.array_equal(back.ends, fp.ends)
    assert back.folded_chars == fp.folded_chars


def test_a_text_work_gets_its_near_fingerprint_and_an_image_none() -> None:
    prints = work_fingerprints(PSALM.encode(), WorkKind.TEXT)
    assert set(prints.near) == {TEXT_SHINGLE_SCHEME}
    decoded = decode_text(prints.near[TEXT_SHINGLE_SCHEME])
    assert np.array_equal(decoded.hashes, text_fingerprint(PSALM).hashes)
    assert prints.content_sha256 == text_fingerprint(PSALM).content_sha256


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda b: b[:5], "truncated"),
        (lambda b: b[:-1], "holds"),
        (lambda b: b + b"\0" * 16, "holds"),
    ],
)
def test_malformed_text_fingerprints_are_refused(mangle: object, message: str) -> None:
    data = encode_text(text_fingerprint(PSALM)).data
    with pytest.raises(InvalidInput, match=message):
        decode_text(mangle(data))  # type: ignore[operator]


def test_offsets_out_of_order_are_refused() -> None:
    fp = text_fingerprint(PSALM)
    swapped = encode_text(fp).data
    n = len(fp)
    starts = np.frombuffer(swapped, "<u4", n, 8 + 8 * n).copy()
    starts[[0, 1]] = starts[[1, 0]]
    broken = swapped[: 8 + 8 * n] + starts.tobytes() + swapped[8 + 12 * n :]
    with pytest.raises(InvalidInput, match="out of order"):
        decode_text(broken)


def test_bad_base64_and_unknown_schemes_are_refused() -> None:
    with pytest.raises(InvalidInput, match="base64"):
        NearFingerprint.from_text(TEXT_SHINGLE_SCHEME, "not base64!")
    with pytest.raises(InvalidInput, match="unknown near-copy fingerprint scheme"):
        decode_near(NearFingerprint("text-shingle-v0", b""))
