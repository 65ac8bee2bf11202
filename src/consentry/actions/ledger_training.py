"""Record a training run's use of every work, measured from its dataset version's manifest.

The manifest (``manifest.jsonl`` in the scan's ``--out`` folder) must be the
one the dataset version committed to (its SHA-256 is checked). Item sizes come
from the corpus the scan read, opened again. Each work used is then matched to
the licence that covered this developer, use, model and date; a work no
licence covered is an unlicensed past use, valued later at ``tariff`` (the
developer's offered fee terms), if given. The training, its uses and both log
entries commit in one unit of work.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from consentry.actions.ids import new_id
from consentry.actions.ledger_rules import ensure_open, licence_for
from consentry.actions.log import record
from consentry.actions.workspace import Workspace
from consentry.corpus import open_corpus
from consentry.domain import FeeTerms, Use
from consentry.errors import InvalidInput
from consentry.evidence import events, events_ledger
from consentry.ledger.records import Batch, OpenUse, UseKind, UseRecord
from consentry.ledger.usage import ItemMeasure, WorkUsage, measure_item, row_used, row_works
from consentry.ledger.usage import tally_usage as tally
from consentry.provenance import DatasetVersion, TrainedOn, Training
from consentry.store.ledger import LedgerUseStore

MANIFEST = "manifest.jsonl"
_ATTRIBUTION_FIELDS = ("attribution", "credit", "author", "creator", "artist")


@dataclass(frozen=True)
class TrainingSource:
    """Where a dataset version's items are: the scan's output folder and, if moved, the corpus."""

    scan_dir: Path
    corpus: Path | None = None
    text_field: str | None = None
    id_field: str | None = None


def read_manifest(scan_dir: Path, dataset: DatasetVersion) -> list[dict[str, Any]]:
    """The manifest rows of ``dataset``; InvalidInput unless it is the committed manifest."""
    path = scan_dir / MANIFEST
    if not path.is_file():
        raise InvalidInput(f"no {MANIFEST} in {scan_dir}", hint="give the scan's --out folder")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != dataset.manifest_sha256:
        raise InvalidInput(
            f"{path} is not the manifest dataset version {dataset.id} committed to",
            hint="give the --out folder of the scan that made this dataset version",
        )
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line]


def _wanted(rows: list[dict[str, Any]], used: str) -> dict[str, dict[str, Any]]:
    """The used rows whose items must be read: those holding a work or an open licence."""
    return {
        r["item_id"]: r
        for r in rows
        if row_used(r, used) and (row_works(r) or _open_licence(r) is not None)
    }


def _open_licence(row: dict[str, Any]) -> str | None:
    if row.get("decision") != "include":
        return None
    found = (r.split(":", 1)[1] for r in row.get("reasons") or [] if r.startswith("open_licence:"))
    return next(found, None)


def measure(
    dataset: DatasetVersion, source: TrainingSource, wanted: dict[str, dict[str, Any]]
) -> tuple[dict[str, ItemMeasure], list[OpenUse]]:
    """Read the wanted items from the corpus again: their measures and open-licence credits."""
    corpus = source.corpus or Path(dataset.corpus)
    if not corpus.exists():
        raise InvalidInput(
            f"the corpus {corpus} that dataset version {dataset.id} scanned is not there",
            hint="give its present place with --corpus",
        )
    reader = open_corpus(
        corpus, format=dataset.format, text_field=source.text_field, id_field=source.id_field
    )
    measures: dict[str, ItemMeasure] = {}
    opens: list[OpenUse] = []
    for shard in reader.shards():
        for item in reader.items(shard):
            row = wanted.get(item.item_id)
            if row is None:
                continue
            measures[item.item_id] = measure_item(item.data, row.get("kind"))
            spdx = _open_licence(row)
            if spdx is not None:
                credit = next(
                    (str(item.meta[f]) for f in _ATTRIBUTION_FIELDS if item.meta.get(f)), None
                )
                opens.append(OpenUse(item.item_id, spdx, row.get("source"), credit))
    missing = sorted(set(wanted) - set(measures))
    if missing:
        raise InvalidInput(
            f"{len(missing)} items of the manifest are not in {corpus}: {', '.join(missing[:5])}",
            hint="give the corpus as scanned (--corpus, --text-field, --id-field)",
        )
    return measures, opens


def record_training_usage(
    ws: Workspace,
    name: str,
    version: str,
    dataset_version_id: str,
    source: TrainingSource,
    *,
    used: TrainedOn = TrainedOn.CLEARED,
    epochs: int | None = None,
    tariff: FeeTerms | None = None,
    trained_at: datetime | None = None,
) -> tuple[Training, list[WorkUsage]]:
    """Record the training and its use of every work (one unit of work); returns both."""
    if epochs is not None and epochs < 1:
        raise InvalidInput(f"epochs must be at least 1, not {epochs}")
    with ws.transaction() as registry:
        model = registry.find_model_version(name, version)
        dataset = registry.get_dataset_version(dataset_version_id)
    rows = read_manifest(source.scan_dir, dataset)
    wanted = _wanted(rows, used.value)
    measures, opens = measure(dataset, source, wanted)
    usages = tally(
        rows, measures, used=used.value, epochs=epochs or 1, dataset_version_id=dataset.id
    )
    at = trained_at or ws.now()
    params = json.loads(dataset.params_json)
    with ws.transaction() as registry:
        ensure_open(registry, at)
        training = Training(model.id, dataset.id, used, epochs, ws.now())
        registry.add_training(training)
        record(ws, registry, events.model_trained(model.id, dataset.id, used.value))
        licences = licence_for(
            registry,
            [u.work_id for u in usages],
            developer_id=model.developer_id or dataset.developer_id,
            use=Use(dataset.use),
            at=at,
            model=model.name,
            territory=params.get("territory"),
        )
        usages = [
            replace(u, licence_id=licences.get(u.work_id), past_use=u.work_id not in licences)
            for u in usages
        ]
        batch_id = new_id("lb")
        entry = events_ledger.usage_recorded(
            batch_id,
            model.id,
            dataset.id,
            used.value,
            at,
            [u.work_id for u in usages],
            sum(u.past_use for u in usages),
        )
        position = record(ws, registry, entry)
        batch = Batch(
            batch_id,
            UseKind.TRAINING,
            model.id,
            at,
            position,
            ws.now(),
            dataset.id,
            used.value,
            tariff,
        )
        uses = [UseRecord(batch, u) for u in usages]
        LedgerUseStore(registry.conn).add_batch(batch, uses, opens)
    return training, usages
