"""Text shingle fingerprints: folding, vectorised hashing, sampling, offsets."""

from __future__ import annotations

from importlib import resources

import numpy as np

from consentry.domain import WorkKind
from consentry.fingerprint.exact import exact_fingerprints
from consentry.fingerprint.text import (
    SHINGLE,
    TEXT_SHINGLE_SCHEME,
    fold,
    shingle_hashes,
    text_fingerprint,
)

RUTH = (resources.files("consentry") / "samples/texts/ruth.txt").read_text(encoding="utf-8")


def folded(text: str) -> str:
    return "".join(map(chr, fold(text)[0].tolist()))


def test_fold_keeps_letters_and_digits_case_and_accent_folded() -> None:
    assert folded("Straße, ﬁne CAFÉ e\u0301t\u00e9 — 42!") == "strassefinecafeete42"
    assert folded("") == ""
    assert folded(" \n\t.,;") == ""


def test_fold_offsets_point_into_the_original_text() -> None:
    text = "A, b\u00e9! ﬁ"
    codes, origin = fold(text)
    assert [text[i] for i in origin.tolist()] == ["A", "b", "\u00e9", "ﬁ", "ﬁ"]
    assert codes.size == origin.size


def test_ascii_and_unicode_paths_agree() -> None:
    ascii_text = "The LORD said, unto Moses: go!"
    assert folded(ascii_text) == folded(ascii_text + "\u00a0")  # non-ASCII path, NBSP dropped


def test_shingle_hashes_match_a_plain_loop() -> None:
    codes = fold(RUTH[:3000])[0]
    fast = shingle_hashes(codes)
    base, mask = 0x9E3779B97F4A7C15, (1 << 64) - 1
    for i in (0, 1, 500, codes.size - SHINGLE):
        h = 0
        for c in codes[i : i + SHINGLE].tolist():
            h = (h * base + c) & mask
        assert int(fast[i]) == h
    assert shingle_hashes(codes[: SHINGLE - 1]).size == 0


def test_fingerprint_ignores_reflow_case_and_punctuation() -> None:
    a = text_fingerprint(RUTH)
    b = text_fingerprint(RUTH.upper().replace(",", "").replace("\n", "\n\n  "))
    assert a.scheme == TEXT_SHINGLE_SCHEME
    assert np.array_equal(a.hashes, b.hashes)
    assert 0.08 < len(a) / a.folded_chars < 0.17  # one shingle in eight, give or take


def test_fingerprint_offsets_cover_their_shingle() -> None:
    fp = text_fingerprint(RUTH)
    for s, e in zip(fp.starts[:50].tolist(), fp.ends[:50].tolist(), strict=True):
        assert len(folded(RUTH[s:e])) == SHINGLE


def test_content_hash_is_the_exact_text_v1_hash() -> None:
    exact = exact_fingerprints(RUTH.encode(), WorkKind.TEXT)
    assert text_fingerprint(RUTH).content_sha256 == exact.content_sha256
    assert text_fingerprint(RUTH, with_content_hash=False).content_sha256 is None


def test_empty_and_tiny_texts_give_empty_fingerprints() -> None:
    for text in ("", "a", "abcdefgh", "\x00\x01\x02", "\ud800"):
        fp = text_fingerprint(text)
        assert len(fp) == 0
