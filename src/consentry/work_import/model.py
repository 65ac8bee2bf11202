"""What a works import produces: parsed rows, then resolved parties, works and consents."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from consentry.domain import (
    Consent,
    ConsentState,
    Fingerprints,
    Party,
    Role,
    Split,
    Use,
    Work,
    WorkKind,
)
from consentry.errors import RowError


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A creator or rightsholder as a row names it, before it is matched to a party.

    External identifiers are canonical (validated, check digits verified).
    ``role`` is set for creators (default author) and None for rightsholders;
    ``territory`` is set for rightsholders (default ``world``) and None for
    creators. ``share`` None means an equal share of what the others leave.
    """

    name: str
    id: str | None = None
    isni: str | None = None
    ipi: str | None = None
    orcid: str | None = None
    email: str | None = None
    role: Role | None = None
    share: Decimal | None = None
    territory: str | None = None
    consent: Mapping[Use, ConsentState] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WorkRow:
    """One valid row of an import file.

    ``fingerprints`` are computed from the file's bytes when the row names a
    ``file`` (kept here as written, relative to the import file), else taken
    from the row's ``fingerprints``. ``consent`` is the work-level shorthand.
    """

    line: int
    id: str | None
    title: str
    kind: WorkKind
    identifiers: Mapping[str, tuple[str, ...]]
    fingerprints: Fingerprints
    creators: tuple[PartyRef, ...]
    rightsholders: tuple[PartyRef, ...]
    split: Split | None
    consent: Mapping[Use, ConsentState]
    file: str | None = None


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """Every row of a valid import file, in file order, with the warnings to show."""

    rows: tuple[WorkRow, ...]
    warnings: tuple[RowError, ...] = ()
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class ResolvedParty:
    """The party a :class:`PartyRef` names; ``created`` when this import creates it."""

    party: Party
    created: bool


@dataclass(frozen=True, slots=True)
class ResolvedImport:
    """What to write for an import, all together or not at all.

    ``parties`` are the parties to create (in order of first mention);
    ``works`` the works to insert; ``consents`` the answers to record.
    """

    parties: tuple[Party, ...]
    works: tuple[Work, ...]
    consents: tuple[Consent, ...]
    warnings: tuple[RowError, ...] = ()
