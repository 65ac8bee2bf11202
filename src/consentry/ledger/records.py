"""What the ledger records: batches of uses, revenue, statements and payments (plain data).

A :class:`Batch` is one recording — a training run, or one call that records
inference uses — and its :class:`UseRecord` rows say, per work, how much was
used, under which licence, or that no licence covered it (a past use).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from consentry.domain import FeeTerms
from consentry.ledger.usage import WorkUsage


class UseKind(StrEnum):
    """How a work was used."""

    TRAINING = "training"
    INFERENCE = "inference"


@dataclass(frozen=True, slots=True)
class Batch:
    """One recording of uses, committed by one log entry."""

    id: str
    kind: UseKind
    model_version_id: str
    used_at: datetime
    log_position: int
    recorded_at: datetime
    dataset_version_id: str | None = None
    used: str | None = None
    tariff: FeeTerms | None = None


@dataclass(frozen=True, slots=True)
class UseRecord:
    """One work's use within a batch; ``uses`` counts inference uses (0 for training)."""

    batch: Batch
    usage: WorkUsage
    uses: int = 0

    @property
    def work_id(self) -> str:
        """The work used."""
        return self.usage.work_id


@dataclass(frozen=True, slots=True)
class OpenUse:
    """An unregistered item used under an open licence, kept for its attribution."""

    item_id: str
    licence: str
    source: str | None = None
    attribution: str | None = None


@dataclass(frozen=True, slots=True)
class Revenue:
    """Revenue a developer reported for a model (by name) and a period."""

    id: str
    model: str
    period: str
    currency: str
    amount: Decimal
    reported_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedStatement:
    """A statement as issued: immutable once written; ``body`` is its canonical JSON."""

    id: str
    period: str
    party_id: str
    currency: str
    total_minor: int
    body: str
    sha256: str
    issued_at: datetime


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment recorded against a statement, in minor units of its currency."""

    id: str
    statement_id: str
    amount_minor: int
    currency: str
    paid_on: date
    reference: str
    recorded_at: datetime
