"""Dataset versions, model versions and trainings."""

from __future__ import annotations

from sqlalchemy import Connection, RowMapping, insert, select
from sqlalchemy.exc import IntegrityError

from consentry.errors import ConflictError, NotFound
from consentry.provenance import DatasetVersion, ModelVersion, TrainedOn, Training
from consentry.store.tables import dataset_versions, model_versions, trainings


class ProvenanceStore:
    """What was scanned, and which model versions were trained on it."""

    conn: Connection

    def add_dataset_version(self, version: DatasetVersion) -> None:
        """Record a completed scan."""
        row = {
            "id": version.id,
            "corpus": version.corpus,
            "format": version.format,
            "use": version.use,
            "regime": version.regime,
            "as_of": version.as_of,
            "developer_id": version.developer_id,
            "params": version.params_json,
            "items": version.items,
            "included": version.included,
            "excluded": version.excluded,
            "manifest_sha256": version.manifest_sha256,
            "created_at": version.created_at,
        }
        self.conn.execute(insert(dataset_versions), [row])

    def get_dataset_version(self, version_id: str) -> DatasetVersion:
        """The dataset version with this id, or NotFound."""
        query = select(dataset_versions).where(dataset_versions.c.id == version_id)
        row = self.conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFound(f"no dataset version {version_id!r}", hint="see `consentry datasets`")
        return _dataset(row)

    def list_dataset_versions(self) -> list[DatasetVersion]:
        """Every dataset version, oldest first."""
        query = select(dataset_versions).order_by(
            dataset_versions.c.created_at, dataset_versions.c.id
        )
        return [_dataset(r) for r in self.conn.execute(query).mappings()]

    def add_model_version(self, model: ModelVersion) -> None:
        """Record a model version; ConflictError when that name and version exist."""
        row = {
            "id": model.id,
            "name": model.name,
            "version": model.version,
            "developer_id": model.developer_id,
            "created_at": model.created_at,
        }
        try:
            with self.conn.begin_nested():
                self.conn.execute(insert(model_versions), [row])
        except IntegrityError as exc:
            raise ConflictError(f"model {model.name} version {model.version} exists") from exc

    def find_model_version(self, name: str, version: str) -> ModelVersion:
        """The model version named so, or NotFound."""
        table = model_versions
        query = select(table).where(table.c.name == name, table.c.version == version)
        row = self.conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFound(
                f"no model {name!r} version {version!r}",
                hint=f"add it: consentry models add {name} --version {version}",
            )
        return _model(row)

    def list_model_versions(self) -> list[ModelVersion]:
        """Every model version, by name then version."""
        query = select(model_versions).order_by(model_versions.c.name, model_versions.c.version)
        return [_model(r) for r in self.conn.execute(query).mappings()]

    def add_training(self, training: Training) -> None:
        """Record that a model version was trained on a dataset version."""
        row = {
            "model_version_id": training.model_version_id,
            "dataset_version_id": training.dataset_version_id,
            "used": training.used.value,
            "epochs": training.epochs,
            "recorded_at": training.recorded_at,
        }
        self.conn.execute(insert(trainings), [row])

    def trainings_of(self, model_version_id: str) -> list[Training]:
        """The trainings recorded for a model version, in recording order."""
        table = trainings
        query = select(table).where(table.c.model_version_id == model_version_id)
        rows = self.conn.execute(query.order_by(table.c.id)).mappings()
        return [
            Training(
                r["model_version_id"],
                r["dataset_version_id"],
                TrainedOn(r["used"]),
                r["epochs"],
                r["recorded_at"],
            )
            for r in rows
        ]


def _dataset(row: RowMapping) -> DatasetVersion:
    return DatasetVersion(
        id=row["id"],
        corpus=row["corpus"],
        format=row["format"],
        use=row["use"],
        regime=row["regime"],
        as_of=row["as_of"],
        developer_id=row["developer_id"],
        params_json=row["params"],
        items=row["items"],
        included=row["included"],
        excluded=row["excluded"],
        manifest_sha256=row["manifest_sha256"],
        created_at=row["created_at"],
    )


def _model(row: RowMapping) -> ModelVersion:
    return ModelVersion(
        row["id"], row["name"], row["version"], row["developer_id"], row["created_at"]
    )
