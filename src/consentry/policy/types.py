"""The policy's vocabulary: regimes, item reason codes, reservations and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from consentry.domain import Reason, Use


class Regime(StrEnum):
    """How unregistered material is treated.

    ``consent`` (the default): nothing is used without a licence or a rule the
    user stated. ``reservation`` (the EU text-and-data-mining exception, chosen
    only explicitly): unregistered material is used unless a machine-readable
    reservation covers the use. Registered works follow the decision table in both.
    """

    CONSENT = "consent"
    RESERVATION = "reservation"


class ItemReason(StrEnum):
    """Every reason code a manifest row can carry (``docs/reason-codes.md``).

    The first four come from a registered work's decision
    (:class:`consentry.domain.Reason`); the rest are about the item itself.
    """

    WITHHELD = Reason.WITHHELD.value
    UNLICENSED = Reason.UNLICENSED.value
    UNASSURED = Reason.UNASSURED.value
    LICENSED = Reason.LICENSED.value
    UNKNOWN = "unknown"
    SOURCE_LICENSED = "source_licensed"
    OPEN_LICENCE = "open_licence"
    OWN = "own"
    UNRESERVED = "unreserved"
    RESERVED = "reserved"
    UNREADABLE = "unreadable"
    ERROR = "error"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Reservation:
    """A machine-readable reservation read for an item: which standard, which uses."""

    standard: str
    uses: frozenset[Use]

    def covers(self, use: Use) -> bool:
        """True when the reservation is on ``use``, a use above it or a use below it."""
        return any(use in reserved.related() for reserved in self.uses)


@dataclass(frozen=True, slots=True)
class Decision:
    """Include or exclude one item, with every reason (codes ``code[:detail]``).

    ``work_id``, ``match``, ``score`` and ``licence_id`` name the registered
    work that decided, when one did (the first excluding work, a withheld one
    first; else the first match).
    """

    include: bool
    reasons: tuple[str, ...]
    work_id: str | None = None
    match: str | None = None
    score: float | None = None
    licence_id: str | None = None

    @classmethod
    def excluded(cls, reason: str) -> Decision:
        """Exclude for one reason."""
        return cls(False, (reason,))
