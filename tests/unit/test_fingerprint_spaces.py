"""``text-v1``'s whitespace folding and case folding are the reference ones, bit for bit."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from consentry.fingerprint.exact import normalise_text
from consentry.fingerprint.spaces import collapse_spaces

SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]
# Text rich in every whitespace character, case pairs, compatibility forms and surrogates.
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPACES),
        st.sampled_from("aZ\u00df\u0130\ufb01\u2460\u00e9e\u0301"),
        st.characters(codec="utf-8"),
        st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
    ),
    max_size=60,
)


def reference(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def test_no_whitespace_lies_above_the_table() -> None:
    assert max(map(ord, SPACES)) == 0x3000 and len(SPACES) == 29


@settings(max_examples=400)
@given(TEXT)
@example("")
@example("   ")
@example(" a ")
@example("a\u3000\u0085b\x1c")
def test_collapse_spaces_is_split_and_join(text: str) -> None:
    assert collapse_spaces(text) == " ".join(text.split())


@settings(max_examples=400)
@given(TEXT)
@example("Stra\u00dfe  \u0130STANBUL\t\ufb01ne")
@example("PLAIN ascii\tTEXT\n\n")
def test_normalise_text_is_nfkc_casefold_and_collapsed_space(text: str) -> None:
    assert normalise_text(text) == reference(text)
