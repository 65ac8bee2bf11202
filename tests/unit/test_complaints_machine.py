"""The complaints state machine: who may do what, from which state, and nothing out of resolved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from complaints_world import DAY, PARTY, T0, filed, reject
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    Actor,
    Answer,
    AnswerKind,
    Complaint,
    ComplaintRefused,
    ComplaintState,
    Outcome,
    RejectReason,
    Remedy,
)


def test_the_developer_answers_an_open_complaint_once() -> None:
    answered = rules.answer(filed(), reject())
    assert answered.state is ComplaintState.ANSWERED and answered.version == 1
    assert not answered.answered_late
    with pytest.raises(ComplaintRefused, match=r"cannot answer .* while it is answered"):
        rules.answer(answered, reject())


@pytest.mark.parametrize("by", ["p_ada", "p_admin", "p_stranger"])
def test_only_the_named_developer_answers(by: str) -> None:
    with pytest.raises(ComplaintRefused, match="only the developer"):
        rules.answer(filed(), reject(by=by))


def test_a_late_answer_is_allowed_while_open_and_shown() -> None:
    late = rules.answer(filed(), reject(at=T0 + 20 * DAY))
    assert late.answered_late


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (Answer(AnswerKind.ACCEPT, "p_dev", T0), "names a remedy"),
        (Answer(AnswerKind.REJECT, "p_dev", T0), "names a reason"),
        (Answer(AnswerKind.REJECT, "p_dev", T0, Remedy.REMOVE, RejectReason.OTHER), "no remedy"),
        (Answer(AnswerKind.ACCEPT, "p_dev", T0, Remedy.PAY), "amount above zero"),
        (
            Answer(
                AnswerKind.ACCEPT, "p_dev", T0, Remedy.PAY, amount=Decimal("-1"), currency="GBP"
            ),
            "amount above zero",
        ),
        (
            Answer(
                AnswerKind.ACCEPT, "p_dev", T0, Remedy.PAY, amount=Decimal("10"), currency="gbp"
            ),
            "ISO 4217",
        ),
        (Answer(AnswerKind.ACCEPT, "p_dev", T0, Remedy.REMOVE, licence_id="lic_1"), "licence"),
        (Answer(AnswerKind.ACCEPT, "p_dev", T0, Remedy.REMOVE, amount=Decimal(1)), "amount"),
    ],
)
def test_an_answer_must_fit_its_kind(answer: Answer, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        rules.answer(filed(), answer)


def test_paying_the_liability_names_amount_and_currency() -> None:
    paid = Answer(
        AnswerKind.ACCEPT, "p_dev", T0, Remedy.PAY, amount=Decimal("120.50"), currency="GBP"
    )
    answered = rules.answer(filed(), paid)
    settled = rules.resolve(answered, "p_ada", Actor.COMPLAINANT, Outcome.SETTLED, T0 + DAY)
    assert settled.resolution is not None and settled.resolution.remedy is Remedy.PAY


def test_the_complainant_escalates_only_after_the_answer_period() -> None:
    complaint = filed()
    with pytest.raises(ComplaintRefused, match="once its answer period ends"):
        rules.escalate(complaint, "p_ada", Actor.COMPLAINANT, T0 + 13 * DAY)
    escalated = rules.escalate(complaint, "p_ada", Actor.COMPLAINANT, T0 + 14 * DAY)
    assert escalated.state is ComplaintState.ESCALATED
    assert escalated.escalation is not None and escalated.escalation.overdue


def test_either_side_escalates_a_disputed_answer() -> None:
    answered = rules.answer(filed(), reject())
    for actor in (Actor.COMPLAINANT, Actor.DEVELOPER):
        escalated = rules.escalate(answered, PARTY[actor], actor, T0 + 2 * DAY)
        assert escalated.escalation is not None and not escalated.escalation.overdue
    with pytest.raises(ComplaintRefused, match="administrator cannot escalate"):
        rules.escalate(answered, "p_admin", Actor.ADMINISTRATOR, T0 + 2 * DAY)


def test_an_administrator_decides_an_escalated_complaint_with_a_remedy() -> None:
    escalated = rules.escalate(filed(), "p_ada", Actor.COMPLAINANT, T0 + 15 * DAY)
    with pytest.raises(InvalidInput, match="names the remedy"):
        rules.resolve(escalated, "p_admin", Actor.ADMINISTRATOR, Outcome.UPHELD, T0 + 16 * DAY)
    with pytest.raises(ComplaintRefused, match="cannot resolve"):
        rules.resolve(escalated, "p_dev", Actor.DEVELOPER, Outcome.DISMISSED, T0 + 16 * DAY)
    upheld = rules.resolve(
        escalated,
        "p_admin",
        Actor.ADMINISTRATOR,
        Outcome.UPHELD,
        T0 + 16 * DAY,
        remedy=Remedy.REMOVE,
    )
    assert upheld.state is ComplaintState.RESOLVED and upheld.version == 2
    with pytest.raises(ComplaintRefused, match="is resolved"):
        rules.answer(upheld, reject())


def test_a_party_to_a_complaint_never_acts_as_its_administrator() -> None:
    complaint = filed()
    assert rules.actor_of(complaint, "p_ada", {"p_ada"}) is Actor.COMPLAINANT
    assert rules.actor_of(complaint, "p_admin", {"p_admin"}) is Actor.ADMINISTRATOR
    with pytest.raises(ComplaintRefused, match="neither the complainant"):
        rules.actor_of(complaint, "p_stranger", {"p_admin"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"dataset_version_id": None}, "dataset version or a model version"),
        ({"developer_id": "p_ada"}, "against itself"),
        ({"answer_by": T0}, "after the filing date"),
    ],
)
def test_a_filing_names_a_subject_and_a_time_to_answer(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        rules.check_filing(filed(**changes))


@pytest.mark.parametrize("days", [0, -3, rules.MAX_ANSWER_DAYS + 1])
def test_the_answer_period_is_bounded(days: int) -> None:
    with pytest.raises(InvalidInput, match="answer period"):
        rules.answer_deadline(T0, days)


# --- properties: every sequence of moves by anyone keeps the complaint legal ----------------

MOVE = st.tuples(
    st.sampled_from(["answer", "escalate", "resolve"]),
    st.sampled_from(list(Actor)),
    st.sampled_from(list(Outcome)),
    st.none() | st.sampled_from(list(Remedy)),
    st.integers(min_value=0, max_value=30),
)


def _apply(c: Complaint, move: tuple[str, Actor, Outcome, Remedy | None, int]) -> Complaint:
    name, actor, outcome, remedy, day = move
    at = T0 + day * DAY
    if name == "answer":
        if remedy is None:
            return rules.answer(c, reject(at, PARTY[actor]))
        return rules.answer(c, Answer(AnswerKind.ACCEPT, PARTY[actor], at, remedy))
    if name == "escalate":
        return rules.escalate(c, PARTY[actor], actor, at)
    return rules.resolve(c, PARTY[actor], actor, outcome, at, remedy=remedy)


def _legal(c: Complaint) -> None:
    """What each state implies about the complaint's record of moves."""
    assert c.state in set(ComplaintState)
    assert (c.resolution is not None) == (c.state is ComplaintState.RESOLVED)
    if c.state is ComplaintState.ANSWERED:
        assert c.answer is not None and c.escalation is None
    if c.state is ComplaintState.ESCALATED:
        assert c.escalation is not None
        assert c.escalation.overdue or c.answer is not None  # unanswered in time, or disputed
    if c.resolution is not None and c.resolution.outcome is Outcome.UPHELD:
        assert c.resolution.actor is Actor.ADMINISTRATOR and c.resolution.remedy is not None
    if c.resolution is not None and c.resolution.outcome is Outcome.SETTLED:
        assert c.answer is not None and c.resolution.actor is Actor.COMPLAINANT
    if c.answer is not None:
        assert c.answer.by == c.developer_id


@settings(max_examples=250, deadline=None)
@given(st.lists(MOVE, max_size=12))
def test_every_path_ends_in_a_legal_state(
    moves: list[tuple[str, Actor, Outcome, Remedy | None, int]],
) -> None:
    c = filed()
    for move in moves:
        before = c
        try:
            c = _apply(c, move)
        except InvalidInput:
            assert c is before  # refused: nothing changed
            continue
        assert before.state is not ComplaintState.RESOLVED  # nothing leaves resolved
        assert c.version == before.version + 1
        _legal(c)
    _legal(c)
    if c.state is not ComplaintState.RESOLVED:  # the complainant can always end it
        ended = rules.resolve(c, "p_ada", Actor.COMPLAINANT, Outcome.WITHDRAWN, T0 + 31 * DAY)
        _legal(ended)


@settings(max_examples=200, deadline=None)
@given(MOVE)
def test_no_move_leaves_resolved(move: tuple[str, Actor, Outcome, Remedy | None, int]) -> None:
    resolved = rules.resolve(filed(), "p_ada", Actor.COMPLAINANT, Outcome.WITHDRAWN, T0)
    with pytest.raises(InvalidInput):
        _apply(resolved, move)
