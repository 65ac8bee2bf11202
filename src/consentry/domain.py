"""The vocabulary of consentry: parties, works, uses, consent, mandates, licences.

Plain frozen dataclasses and string enums, no I/O. Every other layer speaks in
these types; the database and the web only store and carry them. The contracts
they implement are written down in ``docs/`` (uses, the decision table, the
works-import schema) and tested against this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum


class Use(StrEnum):
    """What a developer does with a work. A hierarchy: see :data:`USE_PARENT`."""

    DATA_MINING = "data_mining"
    AI_TRAINING = "ai_training"
    GENAI_TRAINING = "genai_training"
    AI_INFERENCE = "ai_inference"
    SEARCH = "search"

    @property
    def parent(self) -> Use | None:
        """The broader use this one is a kind of, or None at the top."""
        return USE_PARENT.get(self)

    def ancestors(self) -> tuple[Use, ...]:
        """Every broader use, nearest first."""
        chain: list[Use] = []
        current = self.parent
        while current is not None:
            chain.append(current)
            current = current.parent
        return tuple(chain)

    def descendants(self) -> tuple[Use, ...]:
        """Every narrower use, in declaration order."""
        return tuple(u for u in Use if self in u.ancestors())

    def covers(self, other: Use) -> bool:
        """True when permission or reservation on ``self`` extends to ``other``.

        A reservation or a grant on a use covers every use below it.
        """
        return other is self or self in other.ancestors()

    def related(self) -> frozenset[Use]:
        """The uses whose withheld consent blocks ``self``: itself, above and below.

        A scan for AI training may produce a generative model, so a refusal of
        generative training blocks it, as does a refusal of data mining.
        """
        return frozenset((self, *self.ancestors(), *self.descendants()))


USE_PARENT: Mapping[Use, Use] = {
    Use.AI_TRAINING: Use.DATA_MINING,
    Use.GENAI_TRAINING: Use.AI_TRAINING,
}

USE_DESCRIPTIONS: Mapping[Use, str] = {
    Use.DATA_MINING: 'text and data mining of any kind (TDMRep\'s "tdm")',
    Use.AI_TRAINING: "developing any AI model: pre-training, fine-tuning, evaluation",
    Use.GENAI_TRAINING: "the same, for generative models",
    Use.AI_INFERENCE: "operation: retrieval, grounding, use as input at answer time",
    Use.SEARCH: "indexing for search",
}


class PartyKind(StrEnum):
    """The three sides of a clearance."""

    CREATOR = "creator"
    RIGHTSHOLDER = "rightsholder"
    DEVELOPER = "developer"


class WorkKind(StrEnum):
    """The media consentry fingerprints and matches."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"


class Role(StrEnum):
    """What a creator did on a work."""

    AUTHOR = "author"
    TRANSLATOR = "translator"
    ILLUSTRATOR = "illustrator"
    PHOTOGRAPHER = "photographer"
    ARTIST = "artist"
    PERFORMER = "performer"
    COMPOSER = "composer"
    LYRICIST = "lyricist"
    NARRATOR = "narrator"
    EDITOR = "editor"
    JOURNALIST = "journalist"
    OTHER = "other"


class ConsentState(StrEnum):
    """A party's answer for one use. ``ask`` is the default: ask me first."""

    GRANTED = "granted"
    WITHHELD = "withheld"
    ASK = "ask"


class SubjectKind(StrEnum):
    """What a consent is about: a work, or a creator's persona."""

    WORK = "work"
    PERSONA = "persona"


class Reason(StrEnum):
    """Reason codes for a registered work's decision (``docs/decision-table.md``)."""

    WITHHELD = "withheld"
    UNLICENSED = "unlicensed"
    UNASSURED = "unassured"
    LICENSED = "licensed"


@dataclass(frozen=True, slots=True)
class Party:
    """A creator, rightsholder or developer. ``id`` is opaque; the log holds ids only."""

    id: str
    name: str
    kind: PartyKind
    isni: str | None = None
    ipi: str | None = None
    orcid: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Contribution:
    """A creator's part in a work. ``share`` None means an equal share of the rest."""

    party_id: str
    role: Role = Role.AUTHOR
    share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Rights:
    """A rightsholder's interest in a work, within a territory (ISO 3166 or ``world``)."""

    party_id: str
    share: Decimal | None = None
    territory: str = "world"


@dataclass(frozen=True, slots=True)
class Split:
    """How money for a work divides between its creators and its rightsholders."""

    creators: Decimal
    rightsholders: Decimal

    @staticmethod
    def default(has_rightsholders: bool) -> Split:
        """All to creators without a rightsholder, else half and half."""
        if has_rightsholders:
            return Split(Decimal("0.5"), Decimal("0.5"))
        return Split(Decimal(1), Decimal(0))


@dataclass(frozen=True, slots=True)
class Fingerprints:
    """Exact fingerprints of a work's bytes and normalised content.

    ``norm`` names the normalisation that produced ``content_sha256`` (for
    example ``text-v1``), so that a change of normalisation never silently
    compares unlike with unlike. ``near`` maps a near-copy scheme (such as
    ``text-shingle-v1``) to its portable bytes (``consentry.fingerprint.near``),
    which the match index is built from.
    """

    sha256: str | None = None
    content_sha256: str | None = None
    norm: str | None = None
    near: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Work:
    """A registered work with its parties, identifiers and fingerprints."""

    id: str
    title: str
    kind: WorkKind
    identifiers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    contributions: tuple[Contribution, ...] = ()
    rights: tuple[Rights, ...] = ()
    split: Split | None = None
    fingerprints: Fingerprints = field(default_factory=Fingerprints)

    @property
    def creator_ids(self) -> tuple[str, ...]:
        """The creators, in registration order, each once."""
        return tuple(dict.fromkeys(c.party_id for c in self.contributions))

    @property
    def rightsholder_ids(self) -> tuple[str, ...]:
        """The rightsholders, in registration order, each once."""
        return tuple(dict.fromkeys(r.party_id for r in self.rights))

    @property
    def party_ids(self) -> tuple[str, ...]:
        """Every party whose consent the work needs: creators then rightsholders."""
        return tuple(dict.fromkeys((*self.creator_ids, *self.rightsholder_ids)))

    @property
    def effective_split(self) -> Split:
        """The recorded split, or the default for this work's parties."""
        return self.split or Split.default(bool(self.rights))


@dataclass(frozen=True, slots=True)
class Mandate:
    """A revocable authority for ``agent_id`` to consent and answer for creators.

    A mandate never overrides what a creator recorded themselves.
    """

    id: str
    agent_id: str
    creator_ids: frozenset[str]
    uses: frozenset[Use]
    granted_at: datetime
    revoked_at: datetime | None = None

    def authorises(self, creator_id: str, use: Use, at: datetime) -> bool:
        """True when the agent may answer for ``creator_id`` on ``use`` at ``at``."""
        in_force = self.granted_at <= at and (self.revoked_at is None or at < self.revoked_at)
        return in_force and creator_id in self.creator_ids and any(u.covers(use) for u in self.uses)


@dataclass(frozen=True, slots=True)
class Consent:
    """One recorded answer: a party, about a work or persona, for a use.

    ``recorded_by`` is the party that entered it; ``mandate_id`` is set when it
    was entered on a mandate's authority rather than the party's own.
    """

    party_id: str
    subject_id: str
    use: Use
    state: ConsentState
    recorded_at: datetime
    recorded_by: str
    subject_kind: SubjectKind = SubjectKind.WORK
    mandate_id: str | None = None
    evidence: str | None = None
    expires_at: datetime | None = None

    @property
    def on_own_authority(self) -> bool:
        """True when the party recorded this itself (not through a mandate)."""
        return self.mandate_id is None

    def in_force(self, at: datetime) -> bool:
        """True when recorded by ``at`` and not expired at ``at``."""
        return self.recorded_at <= at and (self.expires_at is None or at < self.expires_at)


@dataclass(frozen=True, slots=True)
class Persona:
    """A creator's name, aliases, voice and likeness: used by AI only with consent."""

    id: str
    party_id: str
    names: tuple[str, ...]
    voice: bool = False
    likeness: bool = False


@dataclass(frozen=True, slots=True)
class Pool:
    """A pool of money shared pro rata by usage across its works."""

    amount: Decimal
    by: str = "items"


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """DESIGN's one fee-terms schema. Every amount a Decimal; any subset present."""

    currency: str
    flat: Decimal | None = None
    per_work: Decimal | None = None
    per_item: Decimal | None = None
    per_token: Decimal | None = None
    per_second: Decimal | None = None
    per_inference_use: Decimal | None = None
    pool: Pool | None = None
    revenue_share: Decimal | None = None
    minimum: Decimal | None = None
    cap: Decimal | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class LicenceGrant:
    """A party's agreement to a licence for one of its works."""

    work_id: str
    party_id: str
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class Licence:
    """Permission for one developer to use named works, for uses, models and a term.

    Empty ``models`` means any model; empty ``territories`` means the world.
    ``catalogue_of`` names the rightsholder whose catalogue this licence was
    offered from, if any; it covers only the listed works all the same.
    """

    id: str
    licensee_id: str
    work_ids: frozenset[str]
    uses: frozenset[Use]
    starts_at: datetime
    ends_at: datetime | None = None
    models: frozenset[str] = frozenset()
    territories: frozenset[str] = frozenset()
    fee_terms: FeeTerms | None = None
    grants: tuple[LicenceGrant, ...] = ()
    catalogue_of: str | None = None
    revoked_at: datetime | None = None

    def covers(
        self,
        *,
        work_id: str,
        developer_id: str,
        use: Use,
        at: datetime,
        model: str | None = None,
        territory: str | None = None,
    ) -> bool:
        """True when this licence lets ``developer_id`` use ``work_id`` as asked.

        A scan without a model is covered only by a licence for any model; a
        scan without a territory only by a worldwide licence (fail closed).
        """
        in_term = self.starts_at <= at and (self.ends_at is None or at < self.ends_at)
        not_revoked = self.revoked_at is None or at < self.revoked_at
        model_ok = not self.models or (model is not None and model in self.models)
        territory_ok = not self.territories or (
            territory is not None and territory in self.territories
        )
        return (
            developer_id == self.licensee_id
            and work_id in self.work_ids
            and any(u.covers(use) for u in self.uses)
            and in_term
            and not_revoked
            and model_ok
            and territory_ok
        )

    def granted_by(self, work_id: str, at: datetime) -> frozenset[str]:
        """The parties that agreed to this licence for ``work_id`` by ``at``."""
        return frozenset(
            g.party_id for g in self.grants if g.work_id == work_id and g.granted_at <= at
        )
