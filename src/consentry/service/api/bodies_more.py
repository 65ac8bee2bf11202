"""Bodies of the request, answer and usage routes (pydantic; unknown fields are refused).

Kept apart from :mod:`consentry.service.api.bodies` so that neither grows past
a readable size; the same ``In``/``Out`` bases apply.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, Field

from consentry.domain import Use
from consentry.fees import fee_terms_from_dict
from consentry.ledger.credits import WorkCredits
from consentry.licensing.terms import check_terms, terms_to_dict
from consentry.licensing.types import Counter, LicenceRequest, Terms, WorkStatus
from consentry.service.api.bodies import In, Out, Ref


# -- requests and answers ------------------------------------------------------------------
class TermsIn(In):
    """What is asked (or countered): uses, models, purpose, term, territories, fees."""

    uses: list[Use] = Field(min_length=1, max_length=50)
    starts_at: AwareDatetime | None = Field(default=None, description="default: now")
    ends_at: AwareDatetime | None = None
    models: list[str] = Field(default_factory=list, max_length=100)
    territories: list[str] = Field(default_factory=list, max_length=300)
    purpose: str = Field(default="", max_length=2000)
    fee_terms: dict[str, Any] | None = None
    attribution: str | None = Field(default=None, max_length=2000)

    def terms(self, now: datetime) -> Terms:
        """The checked domain terms (``InvalidInput`` when unsound)."""
        fees = self.fee_terms
        return check_terms(
            Terms(
                uses=frozenset(self.uses),
                starts_at=self.starts_at or now,
                ends_at=self.ends_at,
                models=frozenset(self.models),
                territories=frozenset(self.territories),
                purpose=self.purpose,
                fee_terms=fee_terms_from_dict(fees) if fees is not None else None,
                attribution=self.attribution,
            )
        )


class RequestIn(In):
    """A developer's request: named works, a catalogue, or what a scan of yours excluded."""

    works: list[str] = Field(default_factory=list, max_length=10_000)
    catalogue_of: str | None = Field(default=None, min_length=1, max_length=200)
    from_dataset: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="a dataset version of your scan: ask for the works it excluded",
    )
    terms: TermsIn
    answer_by: AwareDatetime | None = None


class OfferIn(In):
    """A rightsholder's catalogue (or the named works of it) offered to a developer."""

    rightsholder: str = Ref
    developer: str = Ref
    works: list[str] = Field(default_factory=list, max_length=10_000)
    terms: TermsIn
    answer_by: AwareDatetime | None = None


class AnswerIn(In):
    """A party's answer for its works of a request (all of them unless ``works`` names some).

    An agent answers for a creator by naming the creator as ``party`` and its
    ``mandate_id``; a counter carries ``counter_terms``.
    """

    party: str = Ref
    kind: Literal["grant", "refuse", "counter"]
    works: list[str] = Field(default_factory=list, max_length=10_000)
    mandate_id: str | None = Field(default=None, min_length=1, max_length=64)
    reason: str | None = Field(default=None, max_length=2000)
    counter_terms: TermsIn | None = None


class AcceptIn(In):
    """The developer settles a counter (``counter_id``) or a catalogue offer (no id)."""

    counter_id: str | None = Field(default=None, min_length=1, max_length=64)
    refuse: bool = False


class RequestOut(Out):
    """A request as sent."""

    id: str
    developer_id: str
    origin: str
    source: str
    status: str
    works: list[str]
    terms: dict[str, Any]
    created_at: datetime
    answer_by: datetime | None
    offered_by: str | None
    withdrawn_at: datetime | None

    @classmethod
    def of(cls, r: LicenceRequest, at: datetime) -> RequestOut:
        """From the domain request, with its status at ``at``."""
        return cls(
            id=r.id,
            developer_id=r.developer_id,
            origin=r.origin.value,
            source=r.source,
            status=r.status(at).value,
            works=list(r.work_ids),
            terms=terms_to_dict(r.terms),
            created_at=r.created_at,
            answer_by=r.answer_by,
            offered_by=r.offered_by,
            withdrawn_at=r.withdrawn_at,
        )


class PartyStandingOut(Out):
    """One party on one work of a request: its state and who answered on what authority."""

    party_id: str
    group: str
    state: str
    withheld: bool
    answered_by: str | None
    authority: str | None
    mandate_id: str | None
    answered_at: datetime | None
    counter_id: str | None


class WorkStatusOut(Out):
    """One work of a request: its state, the terms on the table, each party, its licence."""

    work_id: str
    state: str
    terms_id: str
    licence_id: str | None
    parties: list[PartyStandingOut]

    @classmethod
    def of(cls, s: WorkStatus) -> WorkStatusOut:
        """From the domain status."""
        return cls(
            work_id=s.work_id,
            state=s.state.value,
            terms_id=s.terms_id,
            licence_id=s.licence_id,
            parties=[
                PartyStandingOut(
                    party_id=p.party_id,
                    group=p.group.value,
                    state=p.state.value,
                    withheld=p.withheld,
                    answered_by=p.answer.answered_by if p.answer else None,
                    authority=p.answer.authority.value if p.answer else None,
                    mandate_id=p.answer.mandate_id if p.answer else None,
                    answered_at=p.answer.answered_at if p.answer else None,
                    counter_id=p.counter.id if p.counter else None,
                )
                for p in s.parties
            ],
        )


class CounterOut(Out):
    """A party's changed terms for one work."""

    id: str
    work_id: str
    party_id: str
    state: str
    terms: dict[str, Any]
    created_at: datetime
    decided_at: datetime | None

    @classmethod
    def of(cls, c: Counter) -> CounterOut:
        """From the domain counter."""
        return cls(
            id=c.id,
            work_id=c.work_id,
            party_id=c.party_id,
            state=c.state.value,
            terms=terms_to_dict(c.terms),
            created_at=c.created_at,
            decided_at=c.decided_at,
        )


class RequestViewOut(Out):
    """A request with every work's state and its counters."""

    request: RequestOut
    works: list[WorkStatusOut]
    counters: list[CounterOut]


class SkipOut(Out):
    """A work left out of a bulk request: the party that refused or withholds, until when."""

    work_id: str
    party_id: str
    why: str
    until: datetime | None


class CreatedRequestOut(Out):
    """A request as sent, and the works left out of a bulk request, with why."""

    request: RequestOut
    skipped: list[SkipOut]


class AnswerResultOut(Out):
    """After an answer or an acceptance: the works' states, licences now in force, counters."""

    works: list[WorkStatusOut]
    licences: list[str]
    counters: list[CounterOut]


# -- usage ---------------------------------------------------------------------------------
UsedWorks = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=64)]], Field(min_length=1, max_length=1000)
]


class InferenceUsesIn(In):
    """Answers a model gave, each naming the registered works it retrieved or used."""

    answers: list[UsedWorks] = Field(
        min_length=1, max_length=10_000, description="per answer, the work ids it used"
    )


class CreditOut(Out):
    """A creator as credited: name, role and identifiers (ISNI, IPI, ORCID)."""

    party_id: str
    name: str
    role: str
    identifiers: dict[str, str]


class WorkCreditsOut(Out):
    """A work's attribution: its title, its creators, and the line that credits them."""

    work_id: str
    title: str
    text: str
    creators: list[CreditOut]

    @classmethod
    def of(cls, c: WorkCredits) -> WorkCreditsOut:
        """From the ledger's credits."""
        return cls(
            work_id=c.work_id,
            title=c.title,
            text=c.text,
            creators=[
                CreditOut(
                    party_id=x.party_id, name=x.name, role=x.role, identifiers=dict(x.identifiers)
                )
                for x in c.creators
            ],
        )


class InferenceUsesOut(Out):
    """Each answer's attribution, in the order the answers were given."""

    model_version_id: str
    answers: list[list[WorkCreditsOut]]


class StatementOut(Out):
    """An issued statement: its canonical body (whole for its party, a developer's lines else)."""

    id: str
    period: str
    party_id: str
    currency: str
    total: str
    paid: str
    sha256: str
    issued_at: datetime
    partial: bool = Field(description="true when only the lines under your licences are shown")
    body: dict[str, Any]


class IssueIn(In):
    """A period to issue every party's statements for, and close."""

    period: str = Field(
        min_length=4, max_length=10, examples=["2025-Q1"], description="YYYY, YYYY-MM or YYYY-Qn"
    )


class PaymentIn(In):
    """A payment against a statement, in the statement's currency."""

    amount: str = Field(min_length=1, max_length=40, examples=["12.50"])
    paid_on: date
    reference: str = Field(min_length=1, max_length=200)


class PaymentOut(Out):
    """A recorded payment."""

    id: str
    statement_id: str
    amount: str
    currency: str
    paid_on: date
    reference: str
    recorded_at: datetime
