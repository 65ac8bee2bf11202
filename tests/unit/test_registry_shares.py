"""check_shares and resolved_shares: exact Decimal, never float; groups sum to at most 1."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import Contribution, Rights, Role, Split, Work, WorkKind
from consentry.errors import InvalidInput
from consentry.registry import check_shares, resolved_shares

D = Decimal


def shared_work(
    creators: tuple[tuple[str, str | None], ...] = (),
    holders: tuple[tuple[str, str | None, str], ...] = (),
    split: tuple[str, str] | None = None,
) -> Work:
    """A work from (party, share) creators and (party, share, territory) rightsholders."""
    return Work(
        id="w1",
        title="w1",
        kind=WorkKind.TEXT,
        contributions=tuple(
            Contribution(p, share=None if s is None else D(s)) for p, s in creators
        ),
        rights=tuple(Rights(p, None if s is None else D(s), t) for p, s, t in holders),
        split=None if split is None else Split(D(split[0]), D(split[1])),
    )


# -- check_shares -----------------------------------------------------------------


def test_sound_shares_have_no_problems() -> None:
    w = shared_work(
        (("a", "0.6"), ("b", "0.4")),
        (("r", "0.5", "world"), ("s", "0.5", "FR")),
        ("0.3", "0.7"),
    )
    assert check_shares(w) == []
    assert check_shares(shared_work((("a", None),))) == []


def test_creators_over_one() -> None:
    w = shared_work((("a", "0.6"), ("b", "0.5")))
    assert check_shares(w) == ["creators' shares sum to 1.1, more than 1"]


def test_rightsholders_over_one_world_wide() -> None:
    w = shared_work((), (("r", "0.7", "world"), ("s", "0.4", "world")))
    assert check_shares(w) == ["rightsholders' shares sum to 1.1, more than 1"]


def test_rightsholders_are_summed_per_territory_with_the_world_wide_ones() -> None:
    split_by_country = shared_work((), (("r", "1", "GB"), ("s", "1", "FR")))
    assert check_shares(split_by_country) == []
    w = shared_work((), (("r", "0.6", "world"), ("s", "0.5", "FR"), ("t", "0.4", "GB")))
    assert check_shares(w) == [
        "rightsholders' shares sum to 1.1 in FR (with the world-wide shares), more than 1"
    ]


@pytest.mark.parametrize("share", ["-0.1", "1.5", "NaN", "Infinity"])
def test_a_share_outside_zero_to_one_is_a_problem(share: str) -> None:
    assert check_shares(shared_work((("a", share),))) == [
        f"creator a share {share} is not between 0 and 1"
    ]
    assert check_shares(shared_work((), (("r", share, "world"),))) == [
        f"rightsholder r share {share} is not between 0 and 1"
    ]


def test_sums_are_exact_beyond_the_default_decimal_precision() -> None:
    third = "0." + "3" * 40
    rest = "0." + "6" * 39 + "7"  # third + rest == 1 exactly
    assert check_shares(shared_work((("a", third), ("b", rest)))) == []
    over = "0." + "6" * 39 + "7" + "1"  # exceeds 1 by 1e-41: lost at 28 digits
    assert len(check_shares(shared_work((("a", third), ("b", over))))) == 1


@pytest.mark.parametrize(
    ("split", "problem"),
    [
        (("0.5", "0.4"), "split sums to 0.9, not 1"),
        (("0.6", "0.6"), "split sums to 1.2, not 1"),
        (("1.5", "-0.5"), "split gives 1.5 to creators, not a part between 0 and 1"),
        (("0.3", "0.7"), "split gives 0.7 to rightsholders, but the work has none"),
    ],
)
def test_split_problems(split: tuple[str, str], problem: str) -> None:
    assert problem in check_shares(shared_work((("a", None),), (), split))


def test_a_split_for_a_work_without_creators_is_a_problem() -> None:
    w = shared_work((), (("r", None, "world"),), ("0.5", "0.5"))
    assert check_shares(w) == ["split gives 0.5 to creators, but the work has none"]


# -- resolved_shares ----------------------------------------------------------------


def test_missing_shares_take_equal_parts_of_the_rest() -> None:
    w = shared_work((("a", None), ("b", "0.5"), ("c", None)), (("r", None, "world"),))
    assert resolved_shares(w) == ({"a": D("0.25"), "b": D("0.5"), "c": D("0.25")}, {"r": D(1)})


def test_parts_that_do_not_divide_evenly_still_sum_exactly() -> None:
    creators, _ = resolved_shares(shared_work((("a", None), ("b", None), ("c", None))))
    assert creators == {
        "a": D("0.333333333333333334"),
        "b": D("0.333333333333333333"),
        "c": D("0.333333333333333333"),
    }
    assert sum(creators.values()) == 1


def test_nothing_left_means_nothing_for_the_missing() -> None:
    creators, _ = resolved_shares(shared_work((("a", "1"), ("b", None))))
    assert creators == {"a": D(1), "b": D(0)}


def test_a_party_in_two_roles_gets_its_shares_summed() -> None:
    w = Work(
        id="w1",
        title="w1",
        kind=WorkKind.TEXT,
        contributions=(
            Contribution("a", Role.AUTHOR, D("0.3")),
            Contribution("a", Role.ILLUSTRATOR, D("0.2")),
            Contribution("b"),
        ),
    )
    assert resolved_shares(w)[0] == {"a": D("0.5"), "b": D("0.5")}


def test_a_territory_takes_its_own_and_the_world_wide_rightsholders() -> None:
    w = shared_work((), (("r", "0.5", "world"), ("s", None, "FR"), ("t", "0.5", "GB")))
    assert resolved_shares(w, "FR")[1] == {"r": D("0.5"), "s": D("0.5")}
    assert resolved_shares(w, "GB")[1] == {"r": D("0.5"), "t": D("0.5")}
    assert resolved_shares(w, "world")[1] == {"r": D("0.5")}


def test_bad_shares_are_refused_not_resolved() -> None:
    with pytest.raises(InvalidInput, match=r"creators' shares sum to 1\.1"):
        resolved_shares(shared_work((("a", "0.6"), ("b", "0.5"))))


@given(
    given_shares=st.lists(
        st.decimals(min_value=0, max_value=1, places=6, allow_nan=False), max_size=4
    ),
    missing=st.integers(min_value=1, max_value=7),
)
def test_with_a_missing_share_the_group_sums_to_exactly_one(
    given_shares: list[Decimal], missing: int
) -> None:
    total = sum(given_shares, D(0))
    if total > 1:
        given_shares = [s / 2 ** len(given_shares) for s in given_shares]
        total = sum(given_shares, D(0))
    creators = tuple((f"g{i}", str(s)) for i, s in enumerate(given_shares)) + tuple(
        (f"m{i}", None) for i in range(missing)
    )
    resolved, _ = resolved_shares(shared_work(creators))
    assert total <= 1
    assert sum(resolved.values(), D(0)) == 1
    parts = [resolved[f"m{i}"] for i in range(missing)]
    assert max(parts) - min(parts) <= D("1e-18")
    assert all(resolved[f"g{i}"] == s for i, s in enumerate(given_shares))
