"""Invariants of the request rules, for any parties, answers and mandates (hypothesis).

* a work is in force iff every one of its parties granted the terms on the
  table (and the developer accepted them);
* withheld always wins: a party that withholds is never licensed, by its own
  grant, a rightsholder's, or an agent's on a mandate.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.domain import Contribution, Mandate, Rights, Use, Work, WorkKind
from consentry.errors import InvalidInput
from consentry.licensing import (
    BASE_TERMS,
    Answer,
    AnswerKind,
    Authority,
    LicenceRequest,
    PartyState,
    Terms,
    WorkState,
    check_answer,
    work_status,
)

T0 = datetime(2030, 1, 1, tzinfo=UTC)
AGENT = "agent"
REQUEST = LicenceRequest(
    "req_1", "dev", Terms(frozenset({Use.AI_TRAINING}), T0), ("w",), T0, developer_accepted_at=T0
)


@st.composite
def _cases(
    draw: st.DrawFn,
) -> tuple[Work, frozenset[str], Mandate, list[tuple[str, bool, AnswerKind]]]:
    creators = [f"c{i}" for i in range(draw(st.integers(1, 3)))]
    holders = [f"r{i}" for i in range(draw(st.integers(0, 2)))]
    work = Work(
        "w",
        "W",
        WorkKind.TEXT,
        contributions=tuple(Contribution(c) for c in creators),
        rights=tuple(Rights(r) for r in holders),
    )
    withheld = frozenset(draw(st.sets(st.sampled_from(creators + holders))))
    mandate = Mandate("m", AGENT, frozenset(creators), frozenset({Use.AI_TRAINING}), T0)
    attempts = draw(
        st.lists(
            st.tuples(
                st.sampled_from(creators + holders),
                st.booleans(),  # through the agent
                st.sampled_from([AnswerKind.GRANT, AnswerKind.GRANT, AnswerKind.REFUSE]),
            ),
            max_size=12,
        )
    )
    return work, withheld, mandate, attempts


def _status(work: Work, answers: list[Answer], withheld: frozenset[str]):  # type: ignore[no-untyped-def]
    return work_status(
        REQUEST, work, terms_id=BASE_TERMS, answers=answers, counters=(), withheld=withheld
    )


def _play(work: Work, withheld: frozenset[str], mandate: Mandate, attempts: list) -> list[Answer]:  # type: ignore[type-arg]
    answers: list[Answer] = []
    for step, (party, via_agent, kind) in enumerate(attempts):
        at = T0 + timedelta(seconds=step + 1)
        status = _status(work, answers, withheld)
        try:
            authority = check_answer(
                REQUEST,
                work,
                status,
                party_id=party,
                answerer_id=AGENT if via_agent else party,
                kind=kind,
                mandate=mandate if via_agent else None,
                creator_granted_own=False,
                at=at,
            )
        except InvalidInput:
            continue
        if authority is Authority.OWN:  # a party's own answer replaces its agent's
            answers = [
                replace(a, superseded_at=at)
                if a.party_id == party and a.superseded_at is None
                else a
                for a in answers
            ]
        answerer = AGENT if via_agent else party
        answers.append(Answer("req_1", "w", party, kind, BASE_TERMS, answerer, authority, at))
    return answers


@settings(max_examples=150, deadline=None)
@given(_cases())
def test_in_force_iff_every_party_granted_and_none_withholds(case) -> None:  # type: ignore[no-untyped-def]
    work, withheld, mandate, attempts = case
    status = _status(work, _play(work, withheld, mandate, attempts), withheld)
    everyone_granted = all(p.state is PartyState.GRANTED for p in status.parties)
    assert (status.state is WorkState.IN_FORCE) == (everyone_granted and not withheld)


@settings(max_examples=150, deadline=None)
@given(_cases())
def test_withheld_always_wins(case) -> None:  # type: ignore[no-untyped-def]
    work, withheld, mandate, attempts = case
    status = _status(work, _play(work, withheld, mandate, attempts), withheld)
    for party in status.parties:
        if party.party_id in withheld:
            assert party.state is not PartyState.GRANTED
    if withheld:
        assert status.state is not WorkState.IN_FORCE


def test_the_rules_can_reach_in_force() -> None:
    # The properties above must not pass vacuously: one path reaches in force.
    work = Work(
        "w", "W", WorkKind.TEXT, contributions=(Contribution("c0"),), rights=(Rights("r0"),)
    )
    mandate = Mandate("m", AGENT, frozenset({"c0"}), frozenset({Use.AI_TRAINING}), T0)
    plays = [("c0", True, AnswerKind.GRANT), ("r0", False, AnswerKind.GRANT)]
    status = _status(work, _play(work, frozenset(), mandate, plays), frozenset())
    assert status.state is WorkState.IN_FORCE
    assert _status(
        work, _play(work, frozenset({"c0"}), mandate, plays), frozenset({"c0"})
    ).state is (WorkState.WITHHELD)
