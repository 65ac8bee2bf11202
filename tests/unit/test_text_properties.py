"""Properties of the text matcher over the sample works (hypothesis)."""

from __future__ import annotations

from importlib import resources

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentry.fingerprint.text import text_fingerprint
from consentry.matching import MatchKind, TextIndex

TEXTS = {
    p.name.removesuffix(".txt"): p.read_text(encoding="utf-8")
    for p in (resources.files("consentry") / "samples/texts").iterdir()
    if p.name.endswith(".txt")
}
INDEX = TextIndex()
for _name, _text in TEXTS.items():
    INDEX.add_text(_name, _text)

# Padding that shares no shingle with any sample work (checked below): "is better than"
# is in Proverbs, so the Zen of Python once let a match run on into the padding.
FILLER = (
    "Quartz oscillators drift with temperature; zinc-oxide varistors clamp surges. "
    "Gyroscopic jitter skews lidar frames, so Kalman filters fuse the IMU samples. "
)


def test_the_filler_shares_no_shingle_with_any_work() -> None:
    padding = set(text_fingerprint(FILLER * 3).hashes.tolist())
    for text in TEXTS.values():
        assert not padding & set(text_fingerprint(text).hashes.tolist())


@st.composite
def excerpts(draw: st.DrawFn) -> tuple[str, int, int, str]:
    name = draw(st.sampled_from(sorted(TEXTS)))
    words = TEXTS[name].split()
    length = draw(st.integers(200, 600))
    start = draw(st.integers(0, len(words) - length))
    return name, start, length, " ".join(words[start : start + length])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(excerpts(), st.integers(0, 3), st.integers(0, 3))
def test_any_long_excerpt_is_found_as_an_excerpt_of_its_work(
    excerpt: tuple[str, int, int, str], pad_before: int, pad_after: int
) -> None:
    name, _, _, passage = excerpt
    item = FILLER * pad_before + passage + " " + FILLER * pad_after
    result = INDEX.query(item)
    assert [(m.work_id, m.kind) for m in result.matches] == [(name, MatchKind.EXCERPT)]
    (match,) = result.matches
    value = match.evidence["item_span"]
    assert isinstance(value, tuple)
    start, end = value
    offset = len(FILLER) * pad_before
    assert abs(start - offset) < 80
    assert abs(end - (offset + len(passage))) < 80


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_a_result_never_an_error(text: str) -> None:
    result = INDEX.query(text)
    assert result.searched or result.refused
