"""Request and response bodies of the JSON API (pydantic; unknown fields are refused).

Requests forbid unknown fields (``extra="forbid"``) so that a typo is an error,
not a silently ignored option. Names are plain text in JSON; the portal escapes
them when it renders HTML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from consentry.actions.accounts import Account
from consentry.actions.tokens import ApiToken
from consentry.domain import ConsentState, Licence, Party, PartyKind, Use, Work, WorkKind
from consentry.fees import fee_terms_to_dict
from consentry.provenance import DatasetVersion, ModelVersion, Training

Name = Field(min_length=1, max_length=200)
Ref = Field(min_length=1, max_length=200, description="a party's id, ISNI, IPI or exact name")


class In(BaseModel):
    """A request body: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """A response body."""

    model_config = ConfigDict(extra="forbid")


# -- accounts ------------------------------------------------------------------------------
class SignupIn(In):
    """A new account. ``name`` is the creator's name or the organisation's."""

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=10, max_length=1024)
    kind: Literal["creator", "rightsholder", "developer"]
    name: str = Name


class LoginIn(In):
    """Email and password."""

    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1024)


class MemberIn(In):
    """A member joining the owner's organisation."""

    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=10, max_length=1024)


class DeleteAccountIn(In):
    """The password, to confirm."""

    password: str = Field(min_length=1, max_length=1024)


class AccountOut(Out):
    """An account as its owner sees it."""

    id: str
    email: str
    kind: str
    party_id: str | None
    org_id: str | None
    org_role: str | None
    acts_for: list[str]

    @classmethod
    def of(cls, a: Account) -> AccountOut:
        """From the action's account."""
        return cls(
            id=a.id,
            email=a.email,
            kind=a.kind,
            party_id=a.party_id,
            org_id=a.org_id,
            org_role=a.org_role,
            acts_for=sorted(a.acts_for),
        )


class TokenIn(In):
    """A new API token: a name to recognise it by, scopes, an optional expiry."""

    name: str = Name
    scopes: list[Literal["read", "write"]] = Field(min_length=1, max_length=2)
    expires_at: AwareDatetime | None = None


class TokenOut(Out):
    """An API token, never its secret."""

    id: str
    name: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, t: ApiToken) -> TokenOut:
        """From the action's token."""
        return cls(
            id=t.id,
            name=t.name,
            scopes=sorted(t.scopes),
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
        )


class TokenIssuedOut(Out):
    """A token just issued: ``secret`` is shown this once."""

    secret: str
    token: TokenOut


# -- parties ---------------------------------------------------------------------------------
class PartyIn(In):
    """A party to register (administrators only)."""

    name: str = Name
    kind: PartyKind
    isni: str | None = Field(default=None, max_length=32)
    ipi: str | None = Field(default=None, max_length=32)
    orcid: str | None = Field(default=None, max_length=32)


class PartyOut(Out):
    """A party (names are plain text: escape them when rendering HTML)."""

    id: str
    name: str
    kind: PartyKind
    isni: str | None
    ipi: str | None
    orcid: str | None

    @classmethod
    def of(cls, p: Party) -> PartyOut:
        """From the domain party (its email is never exposed)."""
        return cls(id=p.id, name=p.name, kind=p.kind, isni=p.isni, ipi=p.ipi, orcid=p.orcid)


# -- works -----------------------------------------------------------------------------------
class ContributorIn(In):
    """A creator or rightsholder of a work, as the works-import format names one."""

    name: str = Name
    id: str | None = Field(default=None, max_length=64)
    isni: str | None = Field(default=None, max_length=32)
    ipi: str | None = Field(default=None, max_length=32)
    orcid: str | None = Field(default=None, max_length=32)
    role: str | None = Field(default=None, max_length=32)
    share: str | None = Field(default=None, max_length=32, pattern=r"^[0-9.]+$")
    territory: str | None = Field(default=None, max_length=16)
    consent: dict[Use, ConsentState] | None = None


class WorkMetaIn(In):
    """A work's metadata (its file comes beside it, or its fingerprints inside it)."""

    title: str = Field(min_length=1, max_length=1000)
    kind: WorkKind | None = None
    id: str | None = Field(default=None, max_length=64)
    identifiers: dict[str, str | list[str]] | None = None
    creators: list[ContributorIn] | None = Field(default=None, max_length=100)
    rightsholders: list[ContributorIn] | None = Field(default=None, max_length=100)


class WorkPrintsIn(WorkMetaIn):
    """A work registered by fingerprints or ISCC only (nothing uploaded).

    ``fingerprints`` is what ``consentry fingerprint FILE`` prints; without it,
    ``identifiers.iscc`` must be given (such works match by ISCC only).
    """

    kind: WorkKind
    fingerprints: dict[str, Any] | None = None
    split: dict[str, str] | None = None
    consent: dict[Use, ConsentState] | None = None


class WorkOut(Out):
    """A registered work with its parties and identifiers."""

    id: str
    title: str
    kind: WorkKind
    identifiers: dict[str, list[str]]
    creators: list[str]
    rightsholders: list[str]
    sha256: str | None
    content_sha256: str | None

    @classmethod
    def of(cls, w: Work) -> WorkOut:
        """From the domain work."""
        return cls(
            id=w.id,
            title=w.title,
            kind=w.kind,
            identifiers={k: list(v) for k, v in w.identifiers.items()},
            creators=list(w.creator_ids),
            rightsholders=list(w.rightsholder_ids),
            sha256=w.fingerprints.sha256,
            content_sha256=w.fingerprints.content_sha256,
        )


class ImportOut(Out):
    """What a bulk import wrote."""

    works: list[str]
    parties_created: int
    consents_recorded: int
    warnings: list[str]


class ClaimIn(In):
    """ "I am this creator of the work": ``party_id`` names the creator on the work."""

    party_id: str = Field(min_length=1, max_length=64)


class ClaimOut(Out):
    """A claim and where it stands (``pending``, ``confirmed`` or ``refused``)."""

    id: str
    work_id: str
    account_id: str
    party_id: str
    status: str
    created_at: datetime
    decided_at: datetime | None


# -- consent, licences, mandates ------------------------------------------------------------------
class ConsentIn(In):
    """One party's answer for one use of a work."""

    party: str = Ref
    use: Use
    state: ConsentState
    mandate_id: str | None = Field(default=None, max_length=64)
    evidence: str | None = Field(default=None, max_length=2000)
    expires_at: AwareDatetime | None = None
    expected_version: int | None = Field(default=None, ge=0)


class ConsentVersionOut(Out):
    """The work's consent version after the change."""

    work_id: str
    version: int


class StandingOut(Out):
    """One party's effective answer for the use asked."""

    party_id: str
    group: str
    state: ConsentState
    decided_by: Use | None
    mandate_id: str | None


class DecisionOut(Out):
    """The decision table's outcome for one work, developer and use."""

    work_id: str
    include: bool
    reason: str
    explanation: str
    licence_id: str | None
    missing: list[str]
    parties: list[StandingOut]


class LicenceIn(In):
    """A licence from the work's parties to a developer."""

    developer: str = Ref
    works: list[str] = Field(min_length=1, max_length=10_000)
    uses: list[Use] = Field(min_length=1)
    granted_by: list[str] = Field(min_length=1, max_length=100)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    models: list[str] = Field(default_factory=list, max_length=100)
    territories: list[str] = Field(default_factory=list, max_length=300)
    fee_terms: dict[str, Any] | None = None


class LicenceOut(Out):
    """A licence."""

    id: str
    licensee_id: str
    works: list[str]
    uses: list[Use]
    starts_at: datetime
    ends_at: datetime | None
    revoked_at: datetime | None
    models: list[str]
    territories: list[str]
    fee_terms: dict[str, Any] | None
    granted_by: list[str]

    @classmethod
    def of(cls, lic: Licence) -> LicenceOut:
        """From the domain licence."""
        return cls(
            id=lic.id,
            licensee_id=lic.licensee_id,
            works=sorted(lic.work_ids),
            uses=sorted(lic.uses),
            starts_at=lic.starts_at,
            ends_at=lic.ends_at,
            revoked_at=lic.revoked_at,
            models=sorted(lic.models),
            territories=sorted(lic.territories),
            fee_terms=fee_terms_to_dict(lic.fee_terms) if lic.fee_terms else None,
            granted_by=sorted({g.party_id for g in lic.grants}),
        )


class MandateIn(In):
    """Creators give a rightsholder authority to answer for them on some uses."""

    agent: str = Ref
    creators: list[str] = Field(min_length=1, max_length=1000)
    uses: list[Use] = Field(min_length=1)


class MandateOut(Out):
    """A mandate."""

    id: str
    agent_id: str
    creators: list[str]
    uses: list[Use]
    granted_at: datetime
    revoked_at: datetime | None


# -- models and datasets -------------------------------------------------------------------------
class ModelIn(In):
    """A model version of the signed-in developer."""

    name: str = Name
    version: str = Field(min_length=1, max_length=100)


class TrainingIn(In):
    """What a model version was trained on."""

    dataset_version: str = Field(min_length=1, max_length=64)
    used: Literal["cleared", "all"] = "cleared"
    epochs: int | None = Field(default=None, ge=1, le=1_000_000)


class ModelOut(Out):
    """A model version and what it was trained on."""

    id: str
    name: str
    version: str
    developer_id: str | None
    created_at: datetime
    trainings: list[dict[str, Any]]

    @classmethod
    def of(cls, m: ModelVersion, trainings: list[Training]) -> ModelOut:
        """From the provenance records."""
        return cls(
            id=m.id,
            name=m.name,
            version=m.version,
            developer_id=m.developer_id,
            created_at=m.created_at,
            trainings=[
                {"dataset_version": t.dataset_version_id, "used": str(t.used), "epochs": t.epochs}
                for t in trainings
            ],
        )


class DatasetOut(Out):
    """A dataset version: one completed scan."""

    id: str
    corpus: str
    format: str
    use: str
    regime: str
    as_of: datetime
    developer_id: str | None
    items: int
    included: int
    excluded: int
    manifest_sha256: str
    created_at: datetime

    @classmethod
    def of(cls, d: DatasetVersion) -> DatasetOut:
        """From the provenance record."""
        return cls(
            id=d.id,
            corpus=d.corpus,
            format=d.format,
            use=d.use,
            regime=d.regime,
            as_of=d.as_of,
            developer_id=d.developer_id,
            items=d.items,
            included=d.included,
            excluded=d.excluded,
            manifest_sha256=d.manifest_sha256,
            created_at=d.created_at,
        )
