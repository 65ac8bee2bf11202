"""The use hierarchy: parents, ancestors, descendants, covers (down) and related (up and down)."""

from __future__ import annotations

import pytest

from consentry.domain import USE_PARENT, Use

DM, AIT, GEN = Use.DATA_MINING, Use.AI_TRAINING, Use.GENAI_TRAINING
INF, SEARCH = Use.AI_INFERENCE, Use.SEARCH


def test_parents_and_chains() -> None:
    assert [u.parent for u in Use] == [None, DM, AIT, None, None]
    assert GEN.ancestors() == (AIT, DM)
    assert DM.descendants() == (AIT, GEN)
    assert SEARCH.ancestors() == SEARCH.descendants() == ()


def test_the_hierarchy_has_no_cycles() -> None:
    for use in Use:
        assert use not in use.ancestors()
        assert len(use.ancestors()) < len(Use)
    assert set(USE_PARENT) <= set(Use)


@pytest.mark.parametrize(
    ("broad", "narrow", "covers"),
    [
        (DM, DM, True),
        (DM, AIT, True),
        (DM, GEN, True),
        (AIT, GEN, True),
        (GEN, AIT, False),  # never upwards
        (AIT, DM, False),
        (DM, INF, False),  # never sideways
        (SEARCH, AIT, False),
        (INF, SEARCH, False),
    ],
)
def test_covers_reaches_down_only(broad: Use, narrow: Use, covers: bool) -> None:
    assert broad.covers(narrow) is covers


@pytest.mark.parametrize(
    ("use", "related"),
    [
        (DM, {DM, AIT, GEN}),
        (AIT, {DM, AIT, GEN}),
        (GEN, {DM, AIT, GEN}),
        (INF, {INF}),
        (SEARCH, {SEARCH}),
    ],
)
def test_related_is_itself_above_and_below(use: Use, related: set[Use]) -> None:
    assert use.related() == related


def test_related_is_symmetric() -> None:
    for a in Use:
        for b in Use:
            assert (b in a.related()) == (a in b.related())
            assert (b in a.related()) == (a.covers(b) or b.covers(a))
