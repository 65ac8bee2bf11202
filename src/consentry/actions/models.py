"""Models and what they were trained on (DESIGN's "Models, usage and money", minimal).

A developer records a model version, then that it was trained on a dataset
version (a completed scan), on its cleared subset or on everything scanned.
The evidence, withdrawal and ledger capabilities read these records.
"""

from __future__ import annotations

from datetime import datetime

from consentry.actions.ids import new_id
from consentry.actions.ledger_training import TrainingSource, record_training_usage
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import FeeTerms, PartyKind
from consentry.errors import InvalidInput
from consentry.evidence import events
from consentry.provenance import DatasetVersion, ModelVersion, TrainedOn, Training


def add_model_version(
    ws: Workspace, name: str, version: str, *, developer_ref: str | None = None
) -> ModelVersion:
    """Record a version of a model; a name and version can be added once."""
    if not name.strip() or not version.strip():
        raise InvalidInput("a model needs a name and a version")
    with ws.transaction() as registry:
        developer = find_party(registry, developer_ref) if developer_ref else None
        if developer is not None and developer.kind is not PartyKind.DEVELOPER:
            raise InvalidInput(f"{developer.name} is a {developer.kind}, not a developer")
        model = ModelVersion(
            new_id("mv"), name, version, developer.id if developer else None, ws.now()
        )
        registry.add_model_version(model)
    return model


def record_training(
    ws: Workspace,
    name: str,
    version: str,
    dataset_version_id: str,
    *,
    used: TrainedOn = TrainedOn.CLEARED,
    epochs: int | None = None,
    source: TrainingSource | None = None,
    tariff: FeeTerms | None = None,
    trained_at: datetime | None = None,
) -> Training:
    """Record that the model version was trained on the dataset version.

    With ``source`` (the scan's output folder), the training's use of every
    work is measured and recorded in the usage ledger in the same unit of work
    (:func:`consentry.actions.ledger_training.record_training_usage`); ``tariff``
    values its unlicensed past uses and ``trained_at`` dates it (default: now).
    """
    if source is not None:
        training, _ = record_training_usage(
            ws,
            name,
            version,
            dataset_version_id,
            source,
            used=used,
            epochs=epochs,
            tariff=tariff,
            trained_at=trained_at,
        )
        return training
    if epochs is not None and epochs < 1:
        raise InvalidInput(f"epochs must be at least 1, not {epochs}")
    with ws.transaction() as registry:
        model = registry.find_model_version(name, version)
        dataset = registry.get_dataset_version(dataset_version_id)
        training = Training(model.id, dataset.id, used, epochs, ws.now())
        registry.add_training(training)
        record(ws, registry, events.model_trained(model.id, dataset.id, used.value))
    return training


def list_model_versions(ws: Workspace) -> list[tuple[ModelVersion, list[Training]]]:
    """Every model version with its trainings."""
    with ws.transaction() as registry:
        return [(m, registry.trainings_of(m.id)) for m in registry.list_model_versions()]


def list_dataset_versions(ws: Workspace) -> list[DatasetVersion]:
    """Every completed scan, oldest first."""
    with ws.transaction() as registry:
        return registry.list_dataset_versions()
