"""What was scanned and what was trained on it: dataset versions, models, trainings.

A :class:`DatasetVersion` is one completed scan as the registry remembers it:
the corpus, the parameters, the regime and as-of date, the counts, and the
SHA-256 of its manifest, so that the evidence log can commit to it and a
withdrawal can find it. A :class:`ModelVersion` records a model a developer
builds; a :class:`Training` says which dataset version it was trained on and
whether on the cleared subset only or on everything scanned (``all``: the
excluded works then count as unlicensed past uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class TrainedOn(StrEnum):
    """What part of a scanned corpus a model version was trained on."""

    CLEARED = "cleared"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class DatasetVersion:
    """One completed scan: its corpus, parameters, counts and manifest digest."""

    id: str
    corpus: str
    format: str
    use: str
    regime: str
    as_of: datetime
    developer_id: str | None
    params_json: str
    items: int
    included: int
    excluded: int
    manifest_sha256: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """A version of a developer's model (``name`` + ``version`` is unique)."""

    id: str
    name: str
    version: str
    developer_id: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Training:
    """A model version trained (or fine-tuned) on a dataset version."""

    model_version_id: str
    dataset_version_id: str
    used: TrainedOn
    epochs: int | None
    recorded_at: datetime
