"""Complaints (redress): a pure state machine over plain data.

A creator or rightsholder of a work complains that a developer used it in a
dataset version or a model. The developer must answer by the date the
complaint states: accept with a remedy (remove the work, license it for the
past period, or pay the past-use liability) or reject with a reason. Either
side can take a disputed answer to an administrator, and the complainant can
once the answer period has passed without one. The states::

    open --answer--> answered --resolve--> resolved
      |                 |                     ^
      +---escalate------+----> escalated -----+

:data:`MOVES` says who may make which move from which state; every function
here returns a new :class:`Complaint` or raises :class:`ComplaintRefused`
without changing anything. Nothing leaves ``resolved``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from consentry.errors import InvalidInput

DEFAULT_ANSWER_DAYS = 30
MAX_ANSWER_DAYS = 365
_CURRENCY = re.compile(r"^[A-Z]{3}$")


class ComplaintRefused(InvalidInput):
    """A move the complaint's state or the actor's role does not allow; nothing changed."""


class ComplaintState(StrEnum):
    """Where a complaint stands."""

    OPEN = "open"
    ANSWERED = "answered"
    ESCALATED = "escalated"
    RESOLVED = "resolved"


class Actor(StrEnum):
    """The part a party plays on one complaint."""

    COMPLAINANT = "complainant"
    DEVELOPER = "developer"
    ADMINISTRATOR = "administrator"


class Move(StrEnum):
    """What can happen to a complaint after it is filed."""

    ANSWER = "answer"
    ESCALATE = "escalate"
    RESOLVE = "resolve"


class AnswerKind(StrEnum):
    """The developer's answer: accept (with a remedy) or reject (with a reason)."""

    ACCEPT = "accept"
    REJECT = "reject"


class Remedy(StrEnum):
    """What an accepted or upheld complaint obliges the developer to do."""

    REMOVE = "remove"
    LICENSE = "license"
    PAY = "pay"


class RejectReason(StrEnum):
    """Why a developer rejects a complaint (the free-text note stays out of the log)."""

    NOT_USED = "not_used"
    LICENSED = "licensed"
    NOT_A_COPY = "not_a_copy"
    OTHER = "other"


class Outcome(StrEnum):
    """How a complaint ended."""

    SETTLED = "settled"
    UPHELD = "upheld"
    DISMISSED = "dismissed"
    WITHDRAWN = "withdrawn"


# Who may make each move from each state (absent: nobody). Extra conditions are
# in the functions below: a complainant escalates an open complaint only once
# its answer period has passed; outcomes are limited by :data:`OUTCOMES`.
MOVES: Mapping[tuple[ComplaintState, Move], frozenset[Actor]] = {
    (ComplaintState.OPEN, Move.ANSWER): frozenset({Actor.DEVELOPER}),
    (ComplaintState.OPEN, Move.ESCALATE): frozenset({Actor.COMPLAINANT}),
    (ComplaintState.OPEN, Move.RESOLVE): frozenset({Actor.COMPLAINANT}),
    (ComplaintState.ANSWERED, Move.ESCALATE): frozenset({Actor.COMPLAINANT, Actor.DEVELOPER}),
    (ComplaintState.ANSWERED, Move.RESOLVE): frozenset({Actor.COMPLAINANT}),
    (ComplaintState.ESCALATED, Move.RESOLVE): frozenset({Actor.COMPLAINANT, Actor.ADMINISTRATOR}),
}

# The outcomes each actor may give, by the state the complaint is in.
OUTCOMES: Mapping[tuple[ComplaintState, Actor], frozenset[Outcome]] = {
    (ComplaintState.OPEN, Actor.COMPLAINANT): frozenset({Outcome.WITHDRAWN}),
    (ComplaintState.ANSWERED, Actor.COMPLAINANT): frozenset({Outcome.SETTLED, Outcome.WITHDRAWN}),
    (ComplaintState.ESCALATED, Actor.COMPLAINANT): frozenset({Outcome.WITHDRAWN}),
    (ComplaintState.ESCALATED, Actor.ADMINISTRATOR): frozenset({Outcome.UPHELD, Outcome.DISMISSED}),
}


@dataclass(frozen=True, slots=True)
class Answer:
    """The developer's answer. ``note`` is free text: kept in the registry, never logged."""

    kind: AnswerKind
    by: str
    at: datetime
    remedy: Remedy | None = None
    reason: RejectReason | None = None
    licence_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Escalation:
    """A complaint taken to an administrator, by whom and when."""

    by: str
    actor: Actor
    at: datetime
    overdue: bool
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Resolution:
    """How and by whom a complaint ended; ``remedy`` is what the developer must do, if any.

    ``by`` is a party's id, or, when ``by_account`` is set, the id of the
    service administrator account that decided (such an account stands for no party).
    """

    outcome: Outcome
    by: str
    actor: Actor
    at: datetime
    remedy: Remedy | None = None
    note: str | None = None
    by_account: bool = False


@dataclass(frozen=True, slots=True)
class Complaint:
    """One complaint: who complains about which work in which dataset version or model.

    ``version`` counts the changes, so that a store can refuse a change made
    on a stale copy (two answers at the same moment: one wins, one is refused).
    """

    id: str
    complainant_id: str
    developer_id: str
    work_id: str
    filed_at: datetime
    answer_by: datetime
    dataset_version_id: str | None = None
    model_version_id: str | None = None
    statement: str | None = None
    state: ComplaintState = ComplaintState.OPEN
    answer: Answer | None = None
    escalation: Escalation | None = None
    resolution: Resolution | None = None
    version: int = 0

    def overdue(self, at: datetime) -> bool:
        """True when still unanswered at ``at`` although its answer period has passed."""
        return self.state is ComplaintState.OPEN and at >= self.answer_by

    @property
    def answered_late(self) -> bool:
        """True when the answer came after the date the complaint set."""
        return self.answer is not None and self.answer.at > self.answer_by


def answer_deadline(filed_at: datetime, days: int) -> datetime:
    """The date by which the developer must answer a complaint filed at ``filed_at``."""
    if not 1 <= days <= MAX_ANSWER_DAYS:
        raise InvalidInput(f"the answer period must be 1 to {MAX_ANSWER_DAYS} days, not {days}")
    return filed_at + timedelta(days=days)


def check_filing(complaint: Complaint) -> None:
    """Refuse a complaint that names nothing to check, or sets no time to answer."""
    if complaint.dataset_version_id is None and complaint.model_version_id is None:
        raise InvalidInput(
            "a complaint names a dataset version or a model version (or both)",
            hint="give --dataset DATASET_VERSION or --model NAME --model-version V",
        )
    if complaint.complainant_id == complaint.developer_id:
        raise InvalidInput("a party cannot complain against itself")
    if complaint.answer_by <= complaint.filed_at:
        raise InvalidInput("the answer date must come after the filing date")
    if complaint.state is not ComplaintState.OPEN or complaint.version != 0:
        raise InvalidInput("a new complaint is open and unchanged")


def actor_of(complaint: Complaint, party_id: str, administrators: Collection[str]) -> Actor:
    """The part ``party_id`` plays on this complaint.

    A party to the complaint never acts as its administrator, even when it is one.
    """
    if party_id == complaint.complainant_id:
        return Actor.COMPLAINANT
    if party_id == complaint.developer_id:
        return Actor.DEVELOPER
    if party_id in administrators:
        return Actor.ADMINISTRATOR
    raise ComplaintRefused(
        f"{party_id} is neither the complainant, the developer nor an administrator "
        f"of complaint {complaint.id}",
        hint="administrators are the parties named in $CONSENTRY_ADMINISTRATORS (the CLI) "
        "and the service's administrator accounts (see docs/complaints.md)",
    )


def account_actor(complaint: Complaint, acts_for: Collection[str]) -> Actor:
    """The part a service administrator account plays: administrator, unless it is a side.

    ``acts_for`` holds the parties the account acts for (none, for an
    administrator account as made today); one of them being the complainant or
    the developer makes the account a party to the complaint, never its administrator.
    """
    sides = {complaint.complainant_id, complaint.developer_id}
    if sides & set(acts_for):
        raise ComplaintRefused(
            f"you act for a party to complaint {complaint.id}; a party to a complaint "
            "never decides it as its administrator"
        )
    return Actor.ADMINISTRATOR


def _allow(complaint: Complaint, move: Move, actor: Actor) -> None:
    if complaint.state is ComplaintState.RESOLVED:
        raise ComplaintRefused(
            f"complaint {complaint.id} is resolved ({_outcome(complaint)}); nothing can change it"
        )
    allowed = MOVES.get((complaint.state, move), frozenset())
    if actor not in allowed:
        who = " or ".join(sorted(allowed)) or "nobody"
        raise ComplaintRefused(
            f"the {actor} cannot {move} complaint {complaint.id} while it is "
            f"{complaint.state} (only: {who})"
        )


def _outcome(complaint: Complaint) -> str:
    return complaint.resolution.outcome if complaint.resolution else "no outcome"


def check_answer(answer: Answer) -> None:
    """Refuse an answer whose parts do not fit its kind and remedy."""
    if answer.kind is AnswerKind.ACCEPT:
        if answer.remedy is None or answer.reason is not None:
            raise InvalidInput("an accepting answer names a remedy (remove, license or pay)")
    elif answer.reason is None or answer.remedy is not None:
        raise InvalidInput("a rejecting answer names a reason and no remedy")
    if answer.licence_id is not None and answer.remedy is not Remedy.LICENSE:
        raise InvalidInput("a licence is named only with the remedy `license`")
    if answer.remedy is Remedy.PAY:
        if answer.amount is None or answer.amount <= 0 or not answer.amount.is_finite():
            raise InvalidInput("paying the past-use liability names an amount above zero")
        if answer.currency is None or not _CURRENCY.match(answer.currency):
            raise InvalidInput("paying names an ISO 4217 currency such as GBP")
    elif answer.amount is not None or answer.currency is not None:
        raise InvalidInput("an amount is named only with the remedy `pay`")


def answer(complaint: Complaint, given: Answer) -> Complaint:
    """The developer answers an open complaint (late answers are allowed and shown)."""
    if given.by != complaint.developer_id:
        raise ComplaintRefused(
            f"only the developer the complaint names ({complaint.developer_id}) can answer it"
        )
    _allow(complaint, Move.ANSWER, Actor.DEVELOPER)
    check_answer(given)
    return _next(complaint, ComplaintState.ANSWERED, answer=given)


def escalate(
    complaint: Complaint, by: str, actor: Actor, at: datetime, note: str | None = None
) -> Complaint:
    """Take the complaint to an administrator."""
    _allow(complaint, Move.ESCALATE, actor)
    late = complaint.overdue(at)
    if complaint.state is ComplaintState.OPEN and not late:
        raise ComplaintRefused(
            f"complaint {complaint.id} can be escalated once its answer period ends "
            f"({complaint.answer_by.isoformat()}) without an answer"
        )
    step = Escalation(by=by, actor=actor, at=at, overdue=late, note=note)
    return _next(complaint, ComplaintState.ESCALATED, escalation=step)


def resolve(
    complaint: Complaint,
    by: str,
    actor: Actor,
    outcome: Outcome,
    at: datetime,
    *,
    remedy: Remedy | None = None,
    note: str | None = None,
    by_account: bool = False,
) -> Complaint:
    """End the complaint with ``outcome``: the last move it can take.

    ``by_account``: ``by`` is an administrator account's id, not a party's (an
    administrator's decision made through the service).
    """
    if by_account and actor is not Actor.ADMINISTRATOR:
        raise ComplaintRefused("only an administrator decides as an account")
    _allow(complaint, Move.RESOLVE, actor)
    allowed = OUTCOMES.get((complaint.state, actor), frozenset())
    if outcome not in allowed:
        raise ComplaintRefused(
            f"the {actor} cannot resolve a {complaint.state} complaint as {outcome} "
            f"(only: {', '.join(sorted(allowed))})"
        )
    if outcome is Outcome.UPHELD and remedy is None:
        raise InvalidInput("upholding a complaint names the remedy (remove, license or pay)")
    if outcome is not Outcome.UPHELD and remedy is not None:
        raise InvalidInput(f"a remedy is named only when a complaint is upheld, not {outcome}")
    if outcome is Outcome.SETTLED and complaint.answer is not None:
        remedy = complaint.answer.remedy  # the complainant accepts the developer's answer
    step = Resolution(outcome, by, actor, at, remedy, note, by_account)
    return _next(complaint, ComplaintState.RESOLVED, resolution=step)


def _next(
    complaint: Complaint,
    state: ComplaintState,
    *,
    answer: Answer | None = None,
    escalation: Escalation | None = None,
    resolution: Resolution | None = None,
) -> Complaint:
    return replace(
        complaint,
        state=state,
        answer=answer or complaint.answer,
        escalation=escalation or complaint.escalation,
        resolution=resolution or complaint.resolution,
        version=complaint.version + 1,
    )
