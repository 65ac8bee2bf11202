"""Models and dataset versions: a developer's own, and what each model was trained on."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from consentry.actions import models as actions
from consentry.actions.authorise import developer_party
from consentry.errors import Forbidden
from consentry.provenance import TrainedOn
from consentry.service.api.bodies import DatasetOut, ModelIn, ModelOut, TrainingIn
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["models"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/models", status_code=201, response_model=ModelOut)
def add_model(body: ModelIn, account: Me, request: Request) -> ModelOut:
    """Record a version of one of your models."""
    developer = developer_party(account)
    model = actions.add_model_version(
        workspace(request), body.name, body.version, developer_ref=developer
    )
    return ModelOut.of(model, [])


@router.get("/models", response_model=list[ModelOut])
def list_models(account: Me, request: Request) -> list[ModelOut]:
    """Your model versions and their trainings (every one, for administrators)."""
    found = actions.list_model_versions(workspace(request))
    return [
        ModelOut.of(m, t)
        for m, t in found
        if account.is_admin or m.developer_id == account.party_id
    ]


@router.post("/models/{name}/{version}/trainings", status_code=201, response_model=ModelOut)
def record_training(
    name: str, version: str, body: TrainingIn, account: Me, request: Request
) -> ModelOut:
    """Record that your model version was trained on one of your dataset versions."""
    developer = developer_party(account)
    ws = workspace(request)
    models = {(m.name, m.version): (m, t) for m, t in actions.list_model_versions(ws)}
    datasets = {d.id: d for d in actions.list_dataset_versions(ws)}
    found = models.get((name, version))
    dataset = datasets.get(body.dataset_version)
    if found is None or found[0].developer_id != developer:
        raise Forbidden(f"{name} {version} is not one of your models")
    if dataset is None or dataset.developer_id != developer:
        raise Forbidden(f"{body.dataset_version} is not one of your dataset versions")
    training = actions.record_training(
        ws, name, version, dataset.id, used=TrainedOn(body.used), epochs=body.epochs
    )
    return ModelOut.of(found[0], [*found[1], training])


@router.get("/datasets", response_model=list[DatasetOut])
def list_datasets(account: Me, request: Request) -> list[DatasetOut]:
    """Your dataset versions (completed scans); every one, for administrators."""
    found = actions.list_dataset_versions(workspace(request))
    return [
        DatasetOut.of(d) for d in found if account.is_admin or d.developer_id == account.party_id
    ]
