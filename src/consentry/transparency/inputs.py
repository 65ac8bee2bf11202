"""What a model report is built from: plain data gathered by the actions layer.

The report is one pure function of these objects (see :mod:`.build`), so every
output format says the same thing: the registry's works, parties and licences,
the dataset versions and their manifests, the ledger's usage and the log.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from consentry.domain import Licence, Party, Work
from consentry.ledger.usage import WorkUsage
from consentry.provenance import DatasetVersion, ModelVersion, TrainedOn, Training
from consentry.transparency.answers import Answers


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """One manifest row, reduced to what a report needs, with the item's measures when known.

    ``size`` (bytes), ``tokens`` (text, the ledger's estimate) and ``seconds``
    (audio) are None when the corpus could not be read again.
    """

    item_id: str
    source: str | None
    kind: str | None
    decision: str
    reasons: tuple[str, ...]
    work_id: str | None
    work_ids: tuple[str, ...]
    licence_id: str | None
    sha256: str | None
    content_sha256: str | None
    size: int | None = None
    tokens: int | None = None
    seconds: Decimal | None = None

    @property
    def included(self) -> bool:
        """Whether the scan included the item."""
        return self.decision == "include"


@dataclass(frozen=True, slots=True)
class DatasetInput:
    """A dataset version the model was trained on, with its training record and manifest."""

    version: DatasetVersion
    training: Training
    items: tuple[ItemFacts, ...]
    root: str | None = None
    log_position: int | None = None

    def used(self) -> Iterator[ItemFacts]:
        """The items the model was trained on: the included ones, or all with ``--used all``."""
        everything = self.training.used is TrainedOn.ALL
        return (i for i in self.items if everything or i.included)

    @property
    def signals(self) -> str:
        """Which reservation readers the scan ran (``none`` when it read none)."""
        params: dict[str, Any] = json.loads(self.version.params_json)
        return str(params.get("signals", "none"))


@dataclass(frozen=True, slots=True)
class LogRef:
    """A log entry the report links to: its position, type and fields."""

    position: int
    type: str
    fields: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PreviousVersion:
    """The model's previous version and the works it used (for "removed since")."""

    model: ModelVersion
    work_ids: frozenset[str]


@dataclass(frozen=True)
class ReportInput:
    """Everything one model report says, gathered in one unit of work."""

    model: ModelVersion
    developer: Party | None
    datasets: tuple[DatasetInput, ...]
    works: Mapping[str, Work]
    parties: Mapping[str, Party]
    licences: Mapping[str, Licence]
    generated_at: datetime
    usage: tuple[WorkUsage, ...] | None = None
    log: tuple[LogRef, ...] = ()
    previous: PreviousVersion | None = None
    answers: Answers = field(default_factory=lambda: Answers({}))
