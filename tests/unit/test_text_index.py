"""The text index: each transform class is found, unrelated text is not, evidence is right."""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest

from consentry.errors import InvalidInput
from consentry.matching import (
    Match,
    MatchKind,
    MatchResult,
    TextIndex,
    load_text_index,
    save_text_index,
)

TEXTS = {
    p.name.removesuffix(".txt"): p.read_text(encoding="utf-8")
    for p in (resources.files("consentry") / "samples/texts").iterdir()
    if p.name.endswith(".txt")
}
REGISTERED = ("ruth", "jonah", "psalms-1-8", "genesis-1-2")
UNREGISTERED = ("ecclesiastes-1-3", "proverbs-1-3")


@pytest.fixture(scope="module")
def index() -> TextIndex:
    idx = TextIndex()
    for name in REGISTERED:
        idx.add_text(name, TEXTS[name])
    return idx


def span(match: Match, key: str) -> tuple[int, int]:
    value = match.evidence[key]
    assert isinstance(value, tuple)
    return int(value[0]), int(value[1])


def found(result: MatchResult) -> dict[str, MatchKind]:
    return {m.work_id: m.kind for m in result.matches}


def ocr(text: str, rate: float, seed: int = 1) -> str:
    rnd = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    return "".join(rnd.choice(letters) if c.isalpha() and rnd.random() < rate else c for c in text)


def word_edits(text: str, rate: float, seed: int = 2) -> str:
    rnd = random.Random(seed)
    out: list[str] = []
    for w in text.split():
        r = rnd.random()
        if r < rate / 3:
            continue
        if r < 2 * rate / 3:
            out += [w, rnd.choice(["indeed", "truly", "also", "then"])]
        elif r < rate:
            out.append(rnd.choice(["people", "house", "water", "great"]))
        else:
            out.append(w)
    return " ".join(out)


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "reflow": lambda t: "\n".join(re.findall(r".{1,60}(?:\s|$)", " ".join(t.split()))),
    "case": str.upper,
    "punctuation": lambda t: re.sub(
        r"[,;:.]", lambda m: {",": ";", ";": ",", ":": ".", ".": "!"}[m[0]], t
    ),
    "html": lambda t: (
        "<html><body>"
        + "".join(f"<p>{html.escape(line)}</p>\n" for line in t.splitlines())
        + "</body></html>"
    ),
    "ocr-1%": lambda t: ocr(t, 0.01),
    "ocr-3%": lambda t: ocr(t, 0.03),
    "word-edits-5%": lambda t: word_edits(t, 0.05),
}


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("work", REGISTERED)
def test_transformed_copy_is_found(index: TextIndex, transform: str, work: str) -> None:
    kinds = found(index.query(TRANSFORMS[transform](TEXTS[work])))
    assert set(kinds) == {work}
    expected = {MatchKind.EXACT} if transform in ("reflow", "case") else {MatchKind.NEAR}
    assert kinds[work] in expected | {MatchKind.EXACT}


def test_exact_copy_is_exact(index: TextIndex) -> None:
    (match,) = index.query(TEXTS["ruth"]).matches
    assert (match.work_id, match.kind, match.score) == ("ruth", MatchKind.EXACT, 1.0)


@pytest.mark.parametrize("work", UNREGISTERED)
def test_unrelated_text_does_not_match(index: TextIndex, work: str) -> None:
    result = index.query(TEXTS[work])
    assert result.searched
    assert result.matches == ()


def test_excerpt_embedded_in_other_text_points_to_its_passage(index: TextIndex) -> None:
    work = TEXTS["jonah"]
    start = work.index("And the LORD spake unto the fish")
    end = start + 1500
    before, after = TEXTS["proverbs-1-3"][:2000], TEXTS["ecclesiastes-1-3"][:2000]
    item = before + "\n" + work[start:end] + "\n" + after
    (match,) = index.query(item).matches
    assert (match.work_id, match.kind) == ("jonah", MatchKind.EXCERPT)
    i0, i1 = span(match, "item_span")
    w0, w1 = span(match, "work_span")
    offset = len(before) + 1
    assert abs(i0 - offset) < 40 and abs(i1 - (offset + end - start)) < 40
    assert abs(w0 - start) < 40 and abs(w1 - end) < 40
    assert match.score > 0.95


@pytest.mark.parametrize("share", [0.05, 0.2, 0.5])
def test_excerpts_of_the_work_are_excerpts(index: TextIndex, share: float) -> None:
    words = TEXTS["ruth"].split()
    n = max(150, int(len(words) * share))
    kinds = found(index.query(" ".join(words[400 : 400 + n])))
    assert kinds == {"ruth": MatchKind.EXCERPT}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no_text"),
        ("   \n\t", "no_text"),
        ("!!! ... ???", "no_text"),
        ("In the beginning God created", "too_short"),
        ("\x00\x01\x02\x03" * 50, "no_text"),
        ("\ud800 lone surrogate", "too_short"),
    ],
)
def test_tiny_or_empty_items_are_refused_with_a_reason(
    index: TextIndex, text: str, reason: str
) -> None:
    result = index.query(text)
    assert not result.searched
    assert result.matches == ()
    assert result.refused is not None and result.refused.startswith(reason)


def test_binaryish_text_does_not_crash(index: TextIndex) -> None:
    junk = bytes(random.Random(3).randrange(256) for _ in range(20000)).decode("latin-1")
    assert index.query(junk).matches == ()


def test_short_registered_work_still_matches_exactly() -> None:
    idx = TextIndex()
    idx.add_text("haiku", "An old silent pond. A frog jumps in.")
    (match,) = idx.query("AN OLD SILENT POND.\n A FROG  JUMPS IN.").matches
    assert match.kind is MatchKind.EXACT


def test_save_load_round_trip_answers_identically(index: TextIndex, tmp_path: Path) -> None:
    queries = [TRANSFORMS[t](TEXTS[w]) for t in TRANSFORMS for w in ("ruth", "jonah")]
    queries += [TEXTS[w] for w in UNREGISTERED] + ["tiny"]
    before = [index.query(q) for q in queries]
    save_text_index(index, tmp_path / "idx")
    for mmap in (True, False):
        loaded = load_text_index(tmp_path / "idx", mmap=mmap)
        assert len(loaded) == len(index)
        assert [loaded.query(q) for q in queries] == before
    save_text_index(loaded, tmp_path / "idx")  # replacing an existing folder
    assert load_text_index(tmp_path / "idx").query(queries[0]) == before[0]


def test_add_and_remove(tmp_path: Path) -> None:
    idx = TextIndex()
    idx.add_text("ruth", TEXTS["ruth"])
    item = ocr(TEXTS["jonah"], 0.01)
    assert idx.query(item).matches == ()
    idx.add_text("jonah", TEXTS["jonah"])
    assert found(idx.query(item)) == {"jonah": MatchKind.NEAR}
    assert idx.remove("jonah") and not idx.remove("jonah")
    assert idx.query(item).matches == ()
    assert "jonah" not in idx and len(idx) == 1
    idx.add_text("jonah", TEXTS["jonah"])
    idx.add_text("jonah", TEXTS["jonah"])  # replacing, not duplicating
    assert [m.work_id for m in idx.query(TEXTS["jonah"]).matches] == ["jonah"]
    idx.compact()
    save_text_index(idx, tmp_path / "i")
    loaded = load_text_index(tmp_path / "i")
    assert found(loaded.query(item)) == {"jonah": MatchKind.NEAR}
    loaded.remove("ruth")
    assert loaded.query(TEXTS["ruth"]).matches == ()


def test_bad_ids_and_foreign_indexes_are_refused(tmp_path: Path) -> None:
    idx = TextIndex()
    with pytest.raises(InvalidInput):
        idx.add_text("a\nb", TEXTS["ruth"])
    save_text_index(idx, tmp_path / "i")
    manifest = tmp_path / "i" / "manifest.json"
    manifest.write_text(manifest.read_text().replace("text-shingle-v1", "text-shingle-v0"))
    with pytest.raises(InvalidInput):
        load_text_index(tmp_path / "i")


def test_the_prefix_table_admits_every_main_posting_and_turns_most_others_away() -> None:
    import numpy as np

    from consentry.matching.text_postings import Postings

    rng = np.random.default_rng(5)
    stored = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    postings = Postings()
    postings.add(stored, 0, np.arange(stored.size, dtype=np.uint32))
    postings.compact(np.array([True]))
    shift, seen = postings.main_prefixes()
    assert seen[stored >> shift].all()
    others = rng.integers(0, 2**63, 5000, dtype=np.uint64)
    assert seen[others >> shift].mean() < 0.2
