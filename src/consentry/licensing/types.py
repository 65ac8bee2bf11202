"""The vocabulary of requests: terms, answers, counters, preferences and per-work status.

Plain frozen dataclasses and string enums, no I/O. A request asks every
creator and rightsholder of each named work; each answers for itself or
through a mandate; a work's licence comes into force only when every one of
them has granted the terms currently on the table for that work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from consentry.domain import FeeTerms, PartyKind, Use

BASE_TERMS = "base"
"""The terms id of a request's own terms (an accepted counter's id replaces it per work)."""


class Origin(StrEnum):
    """Who opened the exchange: a developer's request, or a rightsholder's catalogue offer."""

    REQUEST = "request"
    OFFER = "offer"


class RequestStatus(StrEnum):
    """A request as a whole: open to answers, withdrawn by the developer, or past its deadline."""

    OPEN = "open"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class AnswerKind(StrEnum):
    """What a party said about one work."""

    GRANT = "grant"
    REFUSE = "refuse"
    COUNTER = "counter"


class Authority(StrEnum):
    """On what authority an answer was given."""

    OWN = "own"
    MANDATE = "mandate"
    CONSENT = "consent"  # a creator's standing ``granted`` consent, for a catalogue offer


class CounterState(StrEnum):
    """A counter's life: the developer accepts or refuses it, or later events supersede it."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    SUPERSEDED = "superseded"


class PartyState(StrEnum):
    """One party's standing on one work of a request."""

    PENDING = "pending"
    GRANTED = "granted"
    REFUSED = "refused"
    COUNTERED = "countered"


class WorkState(StrEnum):
    """One work of a request."""

    PENDING = "pending"  # some party has not answered (or the developer has not accepted)
    COUNTERED = "countered"  # a counter awaits the developer
    REFUSED = "refused"  # some party refused
    WITHHELD = "withheld"  # some party's standing consent is withheld: nothing can license it
    IN_FORCE = "in_force"


@dataclass(frozen=True, slots=True)
class Terms:
    """What is asked or agreed: uses, models, purpose, term, territory, fees, attribution.

    Empty ``models`` means any model and empty ``territories`` the world, as
    for :class:`~consentry.domain.Licence`.
    """

    uses: frozenset[Use]
    starts_at: datetime
    ends_at: datetime | None = None
    models: frozenset[str] = frozenset()
    territories: frozenset[str] = frozenset()
    purpose: str = ""
    fee_terms: FeeTerms | None = None
    attribution: str | None = None


@dataclass(frozen=True, slots=True)
class LicenceRequest:
    """A developer's request (or a rightsholder's catalogue offer) for named works."""

    id: str
    developer_id: str
    terms: Terms
    work_ids: tuple[str, ...]
    created_at: datetime
    origin: Origin = Origin.REQUEST
    source: str = "works"
    answer_by: datetime | None = None
    offered_by: str | None = None
    developer_accepted_at: datetime | None = None
    renews: str | None = None
    withdrawn_at: datetime | None = None

    def status(self, at: datetime) -> RequestStatus:
        """Withdrawn, expired (past ``answer_by``), or open, at ``at``."""
        if self.withdrawn_at is not None and self.withdrawn_at <= at:
            return RequestStatus.WITHDRAWN
        if self.answer_by is not None and at >= self.answer_by:
            return RequestStatus.EXPIRED
        return RequestStatus.OPEN


@dataclass(frozen=True, slots=True)
class Answer:
    """One party's answer on one work, to one set of terms (``terms_id``)."""

    request_id: str
    work_id: str
    party_id: str
    kind: AnswerKind
    terms_id: str
    answered_by: str
    authority: Authority
    answered_at: datetime
    mandate_id: str | None = None
    reason: str | None = None
    counter_id: str | None = None
    superseded_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Counter:
    """A party's changed terms for one work, awaiting the developer."""

    id: str
    request_id: str
    work_id: str
    party_id: str
    terms: Terms
    created_at: datetime
    state: CounterState = CounterState.PENDING
    decided_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Preference:
    """A party's choices about being asked: cooling-off after a refusal, bulk asks if withheld.

    ``ask_again_days`` None (the default) means a refused work is never asked
    for again for the same use by the same developer.
    """

    party_id: str
    ask_again_days: int | None = None
    ask_when_withheld: bool = False


@dataclass(frozen=True, slots=True)
class PartyStatus:
    """One party on one work: its state, the answer that decided it, a pending counter."""

    party_id: str
    group: PartyKind
    state: PartyState
    answer: Answer | None = None
    counter: Counter | None = None
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class WorkStatus:
    """One work of a request: its state, the terms on the table, each party, its licence."""

    work_id: str
    state: WorkState
    terms_id: str
    parties: tuple[PartyStatus, ...]
    licence_id: str | None = None

    @property
    def waiting_for(self) -> tuple[str, ...]:
        """The parties that have not yet answered the current terms."""
        return tuple(p.party_id for p in self.parties if p.state is PartyState.PENDING)
