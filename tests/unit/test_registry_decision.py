"""decide_work: DESIGN's decision table, row by row, and the rules around it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from test_registry_builders import (
    AIT,
    DEV,
    DM,
    GEN,
    SEARCH,
    G,
    W,
    consent,
    day,
    decide,
    licence,
    mandate,
    work,
)

from consentry.domain import Licence, LicenceGrant, Reason, Use
from consentry.registry import LicenceGap

CATALOGUE = work(creators=("p_a", "p_b"), holders=("p_pub",))
EVERYONE = {"p_a": 1, "p_b": 1, "p_pub": 1}


# -- the four rows ----------------------------------------------------------


def test_row_1_withheld_excludes_whatever_the_licence_says() -> None:
    d = decide(CATALOGUE, [consent("p_b", AIT, W, on=5)], [licence(grants=EVERYONE)])
    assert (d.include, d.reason, d.code, d.licence_id) == (False, Reason.WITHHELD, "withheld", None)
    assert [s.party_id for s in d.withheld_by] == ["p_b"]
    assert d.explain() == "withheld by party p_b on ai_training"


def test_row_2_no_covering_licence_excludes_as_unlicensed() -> None:
    d = decide(CATALOGUE, [consent(p, AIT, G) for p in EVERYONE])
    assert (d.include, d.reason, d.code) == (False, Reason.UNLICENSED, "unlicensed")
    assert "no licence in force covers ai_training of w1 by p_dev" in d.explain()


def test_row_3_a_licence_without_every_partys_consent_is_unassured() -> None:
    catalogue_deal = licence(grants={"p_pub": 1, "p_a": 2}, catalogue_of="p_pub")
    d = decide(CATALOGUE, [], [catalogue_deal])
    assert (d.include, d.reason, d.code) == (False, Reason.UNASSURED, "unassured")
    assert d.missing == ("p_b",)
    assert d.gaps == (LicenceGap("L1", ("p_b",)),)
    assert d.explain() == (
        "licence L1 lacks the consent of p_b (each must grant the licence or grant ai_training)"
    )


def test_row_4_a_licence_every_party_consented_to_includes() -> None:
    d = decide(CATALOGUE, [], [licence("lic-7", grants=EVERYONE)])
    assert (d.include, d.reason, d.licence_id) == (True, Reason.LICENSED, "lic-7")
    assert d.code == "licensed:lic-7"
    assert (d.missing, d.gaps) == ((), ())
    assert d.explain().startswith("licensed by lic-7")


# -- consent to a licence -----------------------------------------------------


def test_a_standing_grant_for_the_use_counts_as_consent_to_the_licence() -> None:
    records = [consent("p_b", AIT, G)]
    d = decide(CATALOGUE, records, [licence(grants={"p_pub": 1, "p_a": 1})])
    assert d.code == "licensed:L1"


def test_a_standing_grant_on_a_broader_use_counts_too() -> None:
    d = decide(CATALOGUE, [consent("p_b", DM, G)], [licence(grants={"p_pub": 1, "p_a": 1})])
    assert d.code == "licensed:L1"


def test_a_standing_grant_on_a_narrower_or_other_use_does_not() -> None:
    for use in (GEN, SEARCH):
        d = decide(CATALOGUE, [consent("p_b", use, G)], [licence(grants={"p_pub": 1, "p_a": 1})])
        assert d.reason is Reason.UNASSURED


def test_a_standing_grant_without_a_licence_lets_no_one_in() -> None:
    d = decide(CATALOGUE, [consent(p, DM, G) for p in EVERYONE])
    assert d.reason is Reason.UNLICENSED


def test_licence_grants_after_the_decision_date_do_not_count() -> None:
    d = decide(CATALOGUE, [], [licence(grants={"p_pub": 1, "p_a": 1, "p_b": 11})])
    assert (d.reason, d.missing) == (Reason.UNASSURED, ("p_b",))
    assert decide(CATALOGUE, [], [licence(grants={**EVERYONE, "p_b": 10})]).include


def test_a_grant_of_the_licence_for_another_work_does_not_count() -> None:
    two_works = licence(works=("w1", "w2"), grants={"p_pub": 1, "p_a": 1})
    other = replace(two_works, grants=(*two_works.grants, LicenceGrant("w2", "p_b", day(1))))
    assert decide(CATALOGUE, [], [other]).missing == ("p_b",)


def test_a_grant_through_a_mandate_counts_as_a_standing_grant() -> None:
    records = [consent("p_b", AIT, G, mandate="m1")]
    d = decide(
        CATALOGUE, records, [licence(grants={"p_pub": 1, "p_a": 1})], [mandate(creators=("p_b",))]
    )
    assert d.include


def test_a_revoked_mandates_grant_no_longer_assures() -> None:
    records = [consent("p_b", AIT, G, mandate="m1")]
    d = decide(
        CATALOGUE,
        records,
        [licence(grants={"p_pub": 1, "p_a": 1})],
        [mandate(creators=("p_b",), revoked=9)],
    )
    assert (d.reason, d.missing) == (Reason.UNASSURED, ("p_b",))


# -- withheld wins ------------------------------------------------------------


@pytest.mark.parametrize(
    ("withheld_on", "explained"),
    [
        (GEN, "withheld by party p_pub on genai_training (below ai_training)"),
        (DM, "withheld by party p_pub on data_mining (above ai_training)"),
        (AIT, "withheld by party p_pub on ai_training"),
    ],
)
def test_withheld_on_the_use_above_or_below_beats_a_full_licence(
    withheld_on: Use, explained: str
) -> None:
    d = decide(CATALOGUE, [consent("p_pub", withheld_on, W, on=5)], [licence(grants=EVERYONE)])
    assert (d.include, d.reason) == (False, Reason.WITHHELD)
    assert d.explain() == explained


def test_withheld_on_an_unrelated_use_does_not_block() -> None:
    d = decide(CATALOGUE, [consent("p_pub", SEARCH, W)], [licence(grants=EVERYONE)])
    assert d.include


def test_every_withholding_party_is_named() -> None:
    records = [consent("p_a", GEN, W), consent("p_b", DM, W, mandate="m1")]
    d = decide(CATALOGUE, records, [], [mandate(creators=("p_b",))])
    assert d.explain() == (
        "withheld by party p_a on genai_training (below ai_training); "
        "party p_b on data_mining (above ai_training) through mandate m1"
    )


def test_withheld_wins_even_without_a_developer() -> None:
    assert decide(CATALOGUE, [consent("p_a", AIT, W)], developer=None).reason is Reason.WITHHELD


def test_a_later_grant_lifts_an_earlier_refusal() -> None:
    records = [consent("p_a", AIT, W, on=1), consent("p_a", AIT, G, on=2)]
    assert decide(CATALOGUE, records, [licence(grants=EVERYONE)]).include


def test_an_expired_refusal_no_longer_blocks() -> None:
    records = [consent("p_a", AIT, W, on=1, expires=9)]
    assert decide(CATALOGUE, records, [licence(grants=EVERYONE)]).include


def test_the_creators_own_word_beats_the_mandate() -> None:
    """A society's refusal cannot override a creator's own grant, nor its grant a refusal."""
    society = [mandate(creators=("p_a", "p_b"))]
    own_yes = [consent("p_a", AIT, G, on=1), consent("p_a", AIT, W, on=2, mandate="m1")]
    grants = {"p_pub": 1, "p_b": 1}
    assert decide(CATALOGUE, own_yes, [licence(grants=grants)], society).include
    own_no = [consent("p_a", AIT, W, on=1), consent("p_a", AIT, G, on=2, mandate="m1")]
    assert decide(CATALOGUE, own_no, [licence(grants=EVERYONE)], society).reason is Reason.WITHHELD


# -- which licences cover -------------------------------------------------------


@pytest.mark.parametrize(
    ("deal", "model", "territory"),
    [
        (licence(ends=10), None, None),  # expired at the decision date (exclusive end)
        (licence(ends=5), None, None),
        (licence(starts=11), None, None),  # not yet started
        (licence(revoked=10), None, None),  # revoked
        (licence(dev="p_other"), None, None),  # another developer
        (licence(works=("w2",)), None, None),  # another work
        (licence(uses=(GEN,)), None, None),  # a narrower use than asked
        (licence(uses=(SEARCH,)), None, None),  # another use
        (licence(models=("m1",)), "m2", None),  # another model
        (licence(models=("m1",)), None, None),  # a scan naming no model
        (licence(territories=("GB",)), None, "FR"),  # another territory
        (licence(territories=("GB",)), None, None),  # a scan naming no territory
    ],
)
def test_a_licence_that_does_not_cover_the_request_is_no_licence(
    deal: Licence, model: str | None, territory: str | None
) -> None:
    d = decide(CATALOGUE, [], [_granted_by_all(deal)], model=model, territory=territory)
    assert d.reason is Reason.UNLICENSED


@pytest.mark.parametrize(
    ("deal", "model", "territory"),
    [
        (licence(ends=10.5), None, None),
        (licence(revoked=10.5), None, None),
        (licence(uses=(DM,)), None, None),  # a broader use covers the narrower one
        (licence(models=("m1", "m2"), territories=("GB",)), "m2", "GB"),
        (licence(), "any", "FR"),  # any model, the world
    ],
)
def test_a_licence_that_covers_the_request_includes(
    deal: Licence, model: str | None, territory: str | None
) -> None:
    d = decide(CATALOGUE, [], [_granted_by_all(deal)], model=model, territory=territory)
    assert d.code == "licensed:L1"


def test_no_developer_means_no_licence_applies() -> None:
    d = decide(CATALOGUE, [], [licence(grants=EVERYONE)], developer=None)
    assert (d.reason, d.explain()) == (
        Reason.UNLICENSED,
        "no developer given, so no licence can apply",
    )


def test_the_lowest_assured_licence_id_is_chosen() -> None:
    deals = [
        licence("L3", grants=EVERYONE),
        licence("L1", grants={"p_pub": 1}),
        licence("L2", grants=EVERYONE),
    ]
    assert decide(CATALOGUE, [], deals).licence_id == "L2"
    assert decide(CATALOGUE, [], deals[::-1]).licence_id == "L2"


def test_unassured_lists_what_each_covering_licence_lacks() -> None:
    deals = [
        licence("L2", grants={"p_pub": 1, "p_a": 1}),
        licence("L1", grants={"p_b": 1}),
        licence("L0", dev="p_other", grants={"p_pub": 1}),  # not covering: not listed
    ]
    d = decide(CATALOGUE, [], deals)
    assert d.gaps == (LicenceGap("L1", ("p_a", "p_pub")), LicenceGap("L2", ("p_b",)))
    assert d.missing == ("p_a", "p_b", "p_pub")
    assert d.explain() == (
        "licence L1 lacks the consent of p_a, p_pub; licence L2 lacks the consent of p_b "
        "(each must grant the licence or grant ai_training)"
    )


# -- works without parties --------------------------------------------------------


def test_a_work_without_parties_is_never_assured() -> None:
    orphan = work(creators=())
    d = decide(orphan, [], [licence()])
    assert (d.include, d.reason, d.missing, d.parties) == (False, Reason.UNASSURED, (), ())
    assert "no registered creator or rightsholder" in d.explain()
    assert decide(orphan).reason is Reason.UNLICENSED


# -- what the decision carries ------------------------------------------------------


def test_the_decision_carries_every_partys_standing_in_work_order() -> None:
    records = [consent("p_b", DM, G), consent("p_pub", AIT, W, on=2)]
    d = decide(CATALOGUE, records, use=GEN, at=day(3))
    assert [(s.party_id, s.group, s.state) for s in d.parties] == [
        ("p_a", "creator", "ask"),
        ("p_b", "creator", "granted"),
        ("p_pub", "rightsholder", "withheld"),
    ]
    assert (d.work_id, d.use, d.developer_id) == ("w1", GEN, DEV)


def _granted_by_all(deal: Licence) -> Licence:
    return replace(deal, grants=tuple(LicenceGrant("w1", p, day(1)) for p in EVERYONE))
