"""effective_consent: which records count, which authority wins, how uses relate."""

from __future__ import annotations

import pytest
from test_registry_builders import (
    AIT,
    AT,
    DM,
    GEN,
    INF,
    SEARCH,
    A,
    G,
    W,
    consent,
    mandate,
    work,
)

from consentry.domain import Consent, ConsentState, Mandate, PartyKind, SubjectKind, Use
from consentry.errors import InvalidInput
from consentry.registry import PartyStanding, effective_consent

WORK = work(creators=("p_a", "p_b"), holders=("p_r",))


def standing(
    *consents: Consent,
    mandates: tuple[Mandate, ...] = (),
    party: str = "p_a",
    use: Use = AIT,
) -> PartyStanding:
    return effective_consent(WORK, party, use, AT, consents, mandates)


def test_no_record_is_ask_with_nothing_deciding() -> None:
    s = standing()
    assert (s.state, s.consent, s.decided_by, s.mandate_id) == (A, None, None, None)
    assert s.group is PartyKind.CREATOR


def test_groups_follow_the_work() -> None:
    assert standing(party="p_r").group is PartyKind.RIGHTSHOLDER
    both = work(creators=("p_x",), holders=("p_x",))
    assert effective_consent(both, "p_x", AIT, AT, (), ()).group is PartyKind.CREATOR


def test_a_stranger_to_the_work_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a creator or rightsholder"):
        standing(party="p_dev")


def test_own_grant_decides() -> None:
    record = consent("p_a", AIT, G)
    s = standing(record)
    assert (s.state, s.consent, s.decided_by, s.via_mandate) == (G, record, AIT, False)


@pytest.mark.parametrize(("first", "second"), [(G, W), (W, G), (A, G), (G, A), (W, A)])
def test_the_latest_record_for_a_use_is_the_answer(
    first: ConsentState, second: ConsentState
) -> None:
    records = [consent("p_a", AIT, first, on=1), consent("p_a", AIT, second, on=2)]
    assert standing(*records).state is second
    assert standing(*reversed(records)).state is second


def test_records_at_the_same_instant_resolve_to_the_most_cautious() -> None:
    assert standing(consent("p_a", AIT, G, on=3), consent("p_a", AIT, W, on=3)).state is W
    assert standing(consent("p_a", AIT, A, on=3), consent("p_a", AIT, G, on=3)).state is A


def test_records_after_the_decision_date_do_not_count() -> None:
    early, late = consent("p_a", AIT, G, on=1), consent("p_a", AIT, W, on=11)
    assert standing(early, late).state is G
    assert standing(consent("p_a", AIT, W, on=10)).state is W  # recorded at `at` counts


def test_expired_records_do_not_count() -> None:
    assert standing(consent("p_a", AIT, W, expires=10)).state is A  # expiry is exclusive
    assert standing(consent("p_a", AIT, W, expires=10.5)).state is W
    lapsed_then_older = [consent("p_a", AIT, G, on=1), consent("p_a", AIT, W, on=2, expires=5)]
    assert standing(*lapsed_then_older).state is G


def test_only_this_party_and_this_work_count() -> None:
    assert standing(consent("p_b", AIT, W)).state is A
    assert standing(consent("p_a", AIT, W, work_id="w2")).state is A
    persona = consent("p_a", AIT, W, subject_kind=SubjectKind.PERSONA)
    assert standing(persona).state is A


@pytest.mark.parametrize("withheld_on", [DM, AIT, GEN])
def test_withheld_on_any_related_use_blocks(withheld_on: Use) -> None:
    later_grants = [consent("p_a", u, G, on=5) for u in (DM, AIT, GEN) if u is not withheld_on]
    s = standing(*later_grants, consent("p_a", withheld_on, W, on=1))
    assert (s.state, s.decided_by) == (W, withheld_on)


@pytest.mark.parametrize("withheld_on", [INF, SEARCH])
def test_withheld_on_an_unrelated_use_does_not_block(withheld_on: Use) -> None:
    assert standing(consent("p_a", AIT, G), consent("p_a", withheld_on, W)).state is G


def test_withheld_above_blocks_a_later_more_specific_grant() -> None:
    s = standing(consent("p_a", DM, W, on=1), consent("p_a", GEN, G, on=5), use=GEN)
    assert (s.state, s.decided_by) == (W, DM)


def test_the_asked_use_is_reported_first_when_several_are_withheld() -> None:
    s = standing(consent("p_a", DM, W), consent("p_a", GEN, W), consent("p_a", AIT, W))
    assert s.decided_by is AIT


def test_a_grant_extends_to_the_uses_below() -> None:
    s = standing(consent("p_a", DM, G))
    assert (s.state, s.decided_by) == (G, DM)
    assert standing(consent("p_a", DM, G), use=GEN).state is G


def test_a_grant_does_not_extend_upwards_or_sideways() -> None:
    assert standing(consent("p_a", GEN, G)).state is A
    assert standing(consent("p_a", SEARCH, G)).state is A


def test_the_nearest_explicit_answer_decides_between_grant_and_ask() -> None:
    """An explicit ``ask`` on the use itself is not overridden by a broader grant."""
    s = standing(consent("p_a", DM, G, on=5), consent("p_a", AIT, A, on=1))
    assert (s.state, s.decided_by) == (A, AIT)
    assert standing(consent("p_a", DM, A), consent("p_a", AIT, G)).state is G


# -- mandates ---------------------------------------------------------------


def test_a_mandate_record_counts_when_the_party_said_nothing() -> None:
    record = consent("p_a", AIT, W, mandate="m1")
    s = standing(record, mandates=(mandate(),))
    assert (s.state, s.consent, s.mandate_id, s.via_mandate) == (W, record, "m1", True)


@pytest.mark.parametrize(("own", "through_mandate"), [(G, W), (W, G), (A, G), (A, W)])
def test_own_records_beat_later_mandate_records(
    own: ConsentState, through_mandate: ConsentState
) -> None:
    records = (
        consent("p_a", AIT, own, on=1),
        consent("p_a", AIT, through_mandate, on=5, mandate="m1"),
    )
    s = standing(*records, mandates=(mandate(),))
    assert (s.state, s.via_mandate) == (own, False)


def test_an_own_grant_above_silences_a_mandate_refusal_below() -> None:
    records = (consent("p_a", DM, G, on=1), consent("p_a", GEN, W, on=5, mandate="m1"))
    assert standing(*records, mandates=(mandate(),)).state is G


def test_an_own_record_on_an_unrelated_use_leaves_the_mandate_its_say() -> None:
    records = (consent("p_a", SEARCH, G, on=1), consent("p_a", AIT, W, on=5, mandate="m1"))
    assert standing(*records, mandates=(mandate(),)).state is W


def test_an_expired_own_record_gives_way_to_the_mandate() -> None:
    records = (
        consent("p_a", AIT, G, on=1, expires=5),
        consent("p_a", AIT, W, on=2, mandate="m1"),
    )
    assert standing(*records, mandates=(mandate(),)).state is W


def test_the_latest_mandate_record_wins_across_mandates() -> None:
    records = (
        consent("p_a", AIT, W, on=1, mandate="m1"),
        consent("p_a", AIT, G, on=2, mandate="m2"),
    )
    s = standing(*records, mandates=(mandate("m1"), mandate("m2")))
    assert (s.state, s.mandate_id) == (G, "m2")


@pytest.mark.parametrize(
    "authority",
    [
        mandate(revoked=5),  # revoked before the decision date
        mandate(revoked=10),  # revoked at the decision date (exclusive)
        mandate(granted=11),  # not yet in force
        mandate(uses=(SEARCH,)),  # for another use
        mandate(uses=(GEN,)),  # for a narrower use only
        mandate(creators=("p_b",)),  # for another creator
        mandate("m2"),  # a different mandate than the one recorded
    ],
)
def test_a_record_on_a_mandate_that_does_not_authorise_it_is_ignored(authority: Mandate) -> None:
    assert standing(consent("p_a", AIT, W, mandate="m1"), mandates=(authority,)).state is A


def test_a_mandate_revoked_after_the_decision_date_still_counts() -> None:
    record = consent("p_a", AIT, G, mandate="m1")
    assert standing(record, mandates=(mandate(revoked=10.5),)).state is G


def test_a_mandate_answers_only_for_the_parties_it_names() -> None:
    record = consent("p_r", AIT, W, mandate="m1")
    assert standing(record, party="p_r", mandates=(mandate(creators=("p_r",)),)).state is W
    assert standing(record, party="p_r", mandates=(mandate(creators=("p_a",)),)).state is A


def test_the_order_of_records_and_mandates_does_not_matter() -> None:
    records = [
        consent("p_a", AIT, G, on=1, mandate="m1"),
        consent("p_a", GEN, W, on=2, mandate="m2"),
        consent("p_a", AIT, A, on=3, mandate="m1"),
    ]
    mandates = [mandate("m1"), mandate("m2", revoked=4)]
    forward = effective_consent(WORK, "p_a", AIT, AT, records, mandates)
    backward = effective_consent(WORK, "p_a", AIT, AT, records[::-1], mandates[::-1])
    assert forward == backward
    assert (forward.state, forward.decided_by) == (A, AIT)
