"""The item policy: every matched work must be included; withheld always wins; fail closed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import Reason, Use
from consentry.errors import InvalidInput
from consentry.matching import Match, MatchKind
from consentry.policy import (
    ItemFacts,
    ItemReason,
    OpenLicenceRule,
    Policy,
    Regime,
    Reservation,
    SourceRule,
    load_rules,
)
from consentry.registry import WorkDecision

TRAINING = Policy(Use.AI_TRAINING)


def _decided(work_id: str, reason: Reason) -> WorkDecision:
    licence = "L1" if reason is Reason.LICENSED else None
    include = reason is Reason.LICENSED
    return WorkDecision(work_id, include, reason, Use.AI_TRAINING, (), licence_id=licence)


def _facts(*work_ids: str, **kw: object) -> ItemFacts:
    matches = tuple(Match(w, MatchKind.NEAR, 0.9) for w in work_ids)
    return ItemFacts("item", matches=matches, **kw)  # type: ignore[arg-type]


@given(st.lists(st.sampled_from(list(Reason)), min_size=1, max_size=6))
def test_an_item_is_included_only_when_every_matched_work_is(reasons: list[Reason]) -> None:
    works = {f"w{i}": _decided(f"w{i}", r) for i, r in enumerate(reasons)}
    decision = TRAINING.decide(_facts(*works), works)
    assert decision.include == all(r is Reason.LICENSED for r in reasons)
    if Reason.WITHHELD in reasons:
        assert decision.reasons[0] == "withheld"
        assert works[decision.work_id or ""].reason is Reason.WITHHELD
    if not decision.include:
        assert all(not code.startswith("licensed") for code in decision.reasons)
        assert set(decision.reasons) == {str(r) for r in reasons if r is not Reason.LICENSED}


def test_an_included_item_names_its_licence_and_match() -> None:
    works = {"ruth": _decided("ruth", Reason.LICENSED)}
    decision = TRAINING.decide(_facts("ruth"), works)
    assert (decision.include, decision.reasons, decision.licence_id) == (
        True,
        ("licensed:L1",),
        "L1",
    )
    assert (decision.work_id, decision.match, decision.score) == ("ruth", "near", 0.9)


def test_a_match_without_a_decision_fails_closed() -> None:
    decision = TRAINING.decide(_facts("ghost"), {})
    assert not decision.include
    assert decision.reasons == ("error:no_decision_for:ghost",)


def test_unreadable_items_are_excluded_with_their_reason() -> None:
    decision = TRAINING.decide(ItemFacts("x", problem="unreadable:empty"), {})
    assert (decision.include, decision.reasons) == (False, ("unreadable:empty",))
    odd = TRAINING.decide(ItemFacts("x", problem="decoder crashed"), {})
    assert odd.reasons == ("unreadable:decoder crashed",)


def test_unregistered_material_is_unknown_unless_a_stated_rule_covers_it() -> None:
    rules = (
        SourceRule("gutenberg", "source_licensed", prefix="https://gutenberg.org/"),
        OpenLicenceRule(frozenset({"CC0-1.0", "CC-BY-4.0", "CC-BY-NC-4.0", "CC-BY-ND-4.0"})),
    )
    policy = Policy(Use.AI_TRAINING, rules=rules)
    plain = policy.decide(ItemFacts("a", source="https://example.org/x"), {})
    assert plain.reasons == (str(ItemReason.UNKNOWN),) and not plain.include
    licensed = policy.decide(ItemFacts("b", source="https://gutenberg.org/1342"), {})
    assert licensed.include and licensed.reasons == ("source_licensed:gutenberg",)
    declared = policy.decide(ItemFacts("c", meta={"license": "cc-by-4.0"}), {})
    assert declared.include and declared.reasons == ("open_licence:cc-by-4.0",)
    for excluded in ("CC-BY-NC-4.0", "CC-BY-ND-4.0", "LicenseRef-custom"):
        decision = policy.decide(ItemFacts("d", meta={"license": excluded}), {})
        assert decision.reasons == ("unknown",), excluded


def test_nc_licences_only_for_a_non_commercial_developer() -> None:
    rule = OpenLicenceRule(frozenset({"CC-BY-NC-4.0"}), non_commercial_developer=True)
    assert rule(None, {"license": "CC-BY-NC-4.0"}) == "open_licence:CC-BY-NC-4.0"


def test_a_registered_work_is_not_rescued_by_a_source_rule() -> None:
    rules = (SourceRule("all", "source_licensed", prefix=""),)
    works = {"w": _decided("w", Reason.UNLICENSED)}
    decision = Policy(Use.AI_TRAINING, rules=rules).decide(_facts("w", source="x"), works)
    assert decision.reasons == ("unlicensed",)


def test_reservation_regime_includes_unreserved_and_excludes_reserved() -> None:
    policy = Policy(Use.AI_TRAINING, Regime.RESERVATION)
    assert policy.decide(ItemFacts("a"), {}).reasons == ("unreserved",)
    above = Reservation("tdmrep", frozenset({Use.DATA_MINING}))
    below = Reservation("c2pa", frozenset({Use.GENAI_TRAINING}))
    unrelated = Reservation("robots", frozenset({Use.SEARCH}))
    assert policy.decide(ItemFacts("a"), {}, [above]).reasons == ("reserved:tdmrep",)
    assert policy.decide(ItemFacts("a"), {}, [below]).reasons == ("reserved:c2pa",)
    assert policy.decide(ItemFacts("a"), {}, [unrelated]).include
    short = policy.decide(ItemFacts("a", refused="too_short: 4 words"), {})
    assert short.reasons == ("unreadable:too_short: 4 words",)


def test_rules_files_must_state_a_rule() -> None:
    with pytest.raises(InvalidInput, match="not valid"):
        load_rules({})
    with pytest.raises(InvalidInput, match="no rule"):
        load_rules({"source_licences": [], "own": []})
    with pytest.raises(InvalidInput, match="source_licences/0"):
        load_rules({"source_licences": [{"name": "no prefix or dataset"}]})
    rules = load_rules(
        {
            "source_licences": [{"name": "wiki", "prefix": "https://wiki.example/"}],
            "own": [{"name": "ours", "prefix": "internal/"}],
            "open_licences": {"allow": ["CC0-1.0"]},
        }
    )
    assert [r(src, {}) for r in rules for src in ("internal/a",)] == [None, "own:ours", None]
