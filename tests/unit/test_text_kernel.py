"""The compiled text kernel gives what the numpy reference gives, bit for bit, on any input.

``text-shingle-v1`` and ``text-v1`` are stored contracts (a creator's verifier
must reproduce them), so the kernel is held to the reference on arbitrary
Unicode: astral code points, lone surrogates, combining marks, compatibility
and case expansions, every whitespace character. Under CI the kernel must be
built: a missing build fails here instead of silently running the slow path.
"""

from __future__ import annotations

import os
import unicodedata

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from consentry.fingerprint import kernel
from consentry.fingerprint.spaces import collapse_spaces_numpy
from consentry.fingerprint.text import SHINGLE, kernel_arrays, reference_arrays
from consentry.matching.text_align import patience
from consentry.matching.text_candidates import kernel_chains, reference_chains
from consentry.matching.text_postings import Postings

built = pytest.mark.skipif(not kernel.BUILT, reason="text kernel not built (pip install -e .)")

SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
TRICKY = (
    "aZ e\u0301\u0327\u0345 \u00df\u0130\ufb01\u2460\u00bd\ufdfa\u1e9e\u01c4\u03a3\u03c2"
    "\u1100\u1161\u11a8\uac00\u0bc6\u0bbe\u3099\u304b\uff21\u00a0\u2026\u2126\U0001d400"
    "\U00010400\U0001e900\U0001f600"
)
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPACES),
        st.sampled_from(TRICKY),
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
        st.characters(max_codepoint=0x7F),
    ),
    max_size=120,
)


def test_the_kernel_is_built_under_ci() -> None:
    if os.environ.get("CI") != "true":
        pytest.skip("only CI insists on the compiled kernel")
    assert kernel.BUILT, "the text kernel did not build: pip install -e . must compile it"
    assert kernel.ACTIVE, "CONSENTRY_TEXT_KERNEL=0 must not be set in CI"


def _same(text: str) -> None:
    got, want = kernel_arrays(text), reference_arrays(text)
    for a, b in zip(got[:3], want[:3], strict=True):
        assert a.dtype == b.dtype
        assert a.tolist() == b.tolist()
    assert got[3] == want[3]


@built
@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("")
@example("abcdefgh")
@example("abcdefghi")
@example("Stra\u00dfe \ufb01ne CAF\u00c9 e\u0301t\u00e9 \ufdfa \U0001f600 \ud800 \u00bd 42")
def test_kernel_fingerprint_equals_the_reference(text: str) -> None:
    _same(text)
    _same(text * 7)  # long enough for many shingles and samples


@built
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=9, max_size=400))
def test_kernel_fingerprint_equals_the_reference_on_ascii(text: str) -> None:
    _same(text)


@built
def test_kernel_fingerprint_of_real_text_keeps_one_shingle_in_eight() -> None:
    text = "In the beginning God created the heaven and the earth. " * 200
    hashes, starts, ends, folded = kernel_arrays(text)
    assert 0.05 < hashes.size / (folded - SHINGLE + 1) < 0.2
    assert (ends > starts).all()


@built
@settings(max_examples=400, deadline=None)
@given(TEXT)
@example("PLAIN ascii\tTEXT\n\n")
@example("a\u3000\u0085b\x1c  \u00a0c")
def test_kernel_whitespace_and_text_v1_equal_the_reference(text: str) -> None:
    from consentry.fingerprint import _textkernel

    split = " ".join(text.split())
    assert _textkernel.collapse_utf8(text).decode("utf-8", "surrogatepass") == split
    assert collapse_spaces_numpy(text) == split
    want = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    got = _textkernel.text_v1_utf8(text, lambda s: unicodedata.normalize("NFKC", s).casefold())
    assert got == want.encode("utf-8", "surrogatepass")
    if text.isascii():
        assert _textkernel.collapse_utf8(text, True) == want.encode("ascii")


@built
@settings(max_examples=300)
@given(st.lists(st.integers(-50, 50), max_size=200))
def test_kernel_patience_equals_the_reference(values: list[int]) -> None:
    from consentry.fingerprint import _alignkernel

    chain = np.empty(len(values), np.int64)
    length = _alignkernel.patience(np.asarray(values, np.int64), chain)
    assert chain[:length].tolist() == patience(values)


def _postings(draw: st.DrawFn, works: int, hashes: int) -> tuple[Postings, np.ndarray]:
    """Postings over a small hash alphabet, so that works share many hashes, some
    in main arrays and some in the delta, with a few works removed."""
    postings = Postings()
    alive = np.ones(works, np.bool_)
    for n in range(works):
        size = draw(st.integers(0, 60))
        h = np.asarray(draw(st.lists(st.integers(0, hashes), min_size=size, max_size=size)))
        starts = np.arange(size, dtype=np.uint32) * draw(st.integers(1, 40))
        postings.add((h.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)), n, starts)
        if n == works // 2:
            postings.compact(np.ones(works, np.bool_))
    for n in draw(st.lists(st.integers(0, works - 1), max_size=3)):
        alive[n] = False
    return postings, alive


@built
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 12), st.integers(2, 40), st.integers(1, 6), st.integers(1, 8))
def test_kernel_candidates_and_chains_equal_the_reference(
    data: st.DataObject, works: int, alphabet: int, cap: int, min_shared: int
) -> None:
    postings, alive = _postings(data.draw, works, alphabet)
    size = data.draw(st.integers(0, 150))
    query = np.asarray(data.draw(st.lists(st.integers(0, alphabet), min_size=size, max_size=size)))
    hashes = query.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    got = list(kernel_chains(postings, alive, hashes, cap, min_shared))
    want = list(reference_chains(postings, alive, hashes, cap, min_shared))
    assert [(n, ci.tolist(), wp.tolist()) for n, ci, wp in got] == [
        (n, ci.tolist(), wp.tolist()) for n, ci, wp in want
    ]


@built
def test_kernel_directory_points_at_each_prefix_run() -> None:
    from consentry.fingerprint import _alignkernel

    rng = np.random.default_rng(5)
    table = np.sort(rng.integers(0, 2**64 - 1, 5000, dtype=np.uint64))
    directory = _alignkernel.directory(table, 10)
    bounds = np.arange(1025, dtype=np.uint64)
    expect = np.searchsorted(table, bounds[:-1] << np.uint64(54), side="left")
    assert directory[:-1].tolist() == expect.tolist()
    assert int(directory[-1]) == table.size


@built
def test_kernel_refuses_arrays_too_small_for_the_text() -> None:
    from consentry.fingerprint import _textkernel
    from consentry.fingerprint.text import _fold_table

    table, counts = _fold_table()
    small = np.empty(4, np.uint64)
    with pytest.raises(ValueError, match="too small"):
        _textkernel.shingles(
            "x" * 100, table, counts, np.empty(8, np.uint32), small, *[np.empty(4, np.uint32)] * 2
        )
    from consentry.fingerprint import _alignkernel

    with pytest.raises(ValueError, match="too small"):
        _alignkernel.patience(np.zeros(5, np.int64), np.zeros(2, np.int64))
