"""Gather what a model report is built from, in one unit of work plus the manifests.

A dataset version remembers its manifest's digest, not where the manifest is:
the manifest comes from a scan folder the caller names (``--scan DIR``), the
folder the scan recorded, or the copy kept beside the registry
(:func:`consentry.actions.scan_results.scans_dir`), and is used only when its
SHA-256 is the one the log committed to. The items are measured by reading
the scanned corpus again (bytes, the ledger's token estimate, audio seconds);
when the corpus is no longer there, the measures are unknown and the report
says so instead of guessing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from consentry.actions.ledger import work_usage
from consentry.actions.ledger_training import read_manifest
from consentry.actions.outputs import output_folder
from consentry.actions.scan_results import MANIFEST, scans_dir
from consentry.actions.workspace import Workspace
from consentry.corpus import open_corpus
from consentry.errors import ConsentryError, InvalidInput, NotFound
from consentry.evidence.entry import EntryType, parse_entry
from consentry.ledger.usage import ItemMeasure, measure_item, row_works
from consentry.provenance import DatasetVersion, ModelVersion, Training
from consentry.store import Registry
from consentry.transparency.answers import Answers
from consentry.transparency.inputs import (
    DatasetInput,
    ItemFacts,
    LogRef,
    PreviousVersion,
    ReportInput,
)


def gather(
    ws: Workspace, name: str, version: str, scans: Sequence[Path], answers: Answers
) -> ReportInput:
    """Everything the report of model ``name`` ``version`` says."""
    with ws.transaction() as registry:
        model = registry.find_model_version(name, version)
        trainings = registry.trainings_of(model.id)
        if not trainings:
            raise InvalidInput(
                f"no training is recorded for {name} {version}",
                hint=f"consentry models record-training {name} --version {version} --dataset D",
            )
        pairs = [(t, registry.get_dataset_version(t.dataset_version_id)) for t in trainings]
        previous = _previous(registry, model)
        log = _log(registry, model, {d.id for _, d in pairs})
        developer = registry.get_party(model.developer_id) if model.developer_id else None
    datasets = tuple(_dataset(ws, t, d, scans, log) for t, d in pairs)
    return _assemble(ws, model, developer, datasets, previous, log, answers)


def _assemble(
    ws: Workspace,
    model: ModelVersion,
    developer: Any,
    datasets: tuple[DatasetInput, ...],
    previous: ModelVersion | None,
    log: tuple[LogRef, ...],
    answers: Answers,
) -> ReportInput:
    usage = tuple(work_usage(ws, model.id))
    before = None
    if previous is not None:
        before = PreviousVersion(
            previous, frozenset(u.work_id for u in work_usage(ws, previous.id))
        )
    work_ids = sorted(
        {w for d in datasets for i in d.used() for w in i.work_ids} | {u.work_id for u in usage}
    )
    with ws.transaction() as registry:
        works = {w.id: w for w in registry.get_works(work_ids)}
        party_ids = {p for w in works.values() for p in w.party_ids}
        parties = {p.id: p for p in registry.list_parties() if p.id in party_ids}
        licence_ids = {i.licence_id for d in datasets for i in d.used() if i.licence_id}
        licences = {lid: registry.get_licence(lid) for lid in sorted(licence_ids)}
    return ReportInput(
        model=model,
        developer=developer,
        datasets=datasets,
        works=works,
        parties=parties,
        licences=licences,
        generated_at=ws.now(),
        usage=usage,
        log=log,
        previous=before,
        answers=answers,
    )


def _previous(registry: Registry, model: ModelVersion) -> ModelVersion | None:
    """The same model's version recorded just before this one, if any."""
    same = [m for m in registry.list_model_versions() if m.name == model.name]
    earlier = [m for m in same if (m.created_at, m.id) < (model.created_at, model.id)]
    return max(earlier, key=lambda m: (m.created_at, m.id), default=None)


def _log(registry: Registry, model: ModelVersion, datasets: set[str]) -> tuple[LogRef, ...]:
    """The log entries that name this model version or one of its dataset versions.

    Earlier publications of a report are left out: they are about the report, and
    leaving them out keeps a report the same however often it is written.
    """
    wanted = datasets | {model.id}
    found: list[LogRef] = []
    for stored in registry.log_entries_from(0):
        if stored.type == EntryType.REPORT_PUBLISHED.value:
            continue
        entry = parse_entry(stored.body)
        values = {v for v in entry.fields.values() if isinstance(v, str)}
        if values & wanted:
            found.append(LogRef(stored.position, entry.type.value, dict(entry.fields)))
    return tuple(found)


def _dataset(
    ws: Workspace,
    training: Training,
    dataset: DatasetVersion,
    scans: Sequence[Path],
    log: tuple[LogRef, ...],
) -> DatasetInput:
    rows = _rows(ws, dataset, scans)
    measures = _measures(dataset, {r["item_id"]: r.get("kind") for r in rows})
    committed = next(
        (e for e in log if e.type == "dataset.committed" and e.fields.get("dataset") == dataset.id),
        None,
    )
    return DatasetInput(
        version=dataset,
        training=training,
        items=tuple(_item(row, measures) for row in rows),
        root=None if committed is None else committed.fields.get("root"),
        log_position=None if committed is None else committed.position,
    )


def _rows(ws: Workspace, dataset: DatasetVersion, scans: Sequence[Path]) -> list[dict[str, Any]]:
    """The committed manifest of ``dataset``: from a named scan folder, the recorded
    folder (:mod:`consentry.actions.outputs`), or the portal's kept copy."""
    refused = ""
    try:
        recorded = [output_folder(ws, dataset.id)]
    except InvalidInput as exc:
        recorded, refused = [], f" ({exc.message})"
    for folder in [*scans, *recorded, scans_dir(ws) / dataset.id]:
        if (folder / MANIFEST).is_file():
            try:
                return read_manifest(folder, dataset)
            except InvalidInput:
                continue  # another dataset version's manifest: try the next folder
    raise NotFound(
        f"the manifest of dataset version {dataset.id} was not found{refused}",
        hint="give the scan's --out folder with --scan DIR",
    )


def _measures(dataset: DatasetVersion, kinds: dict[str, Any]) -> dict[str, ItemMeasure] | None:
    """Every item's measures, read from the scanned corpus; None when it cannot be read."""
    corpus = Path(dataset.corpus)
    if not corpus.exists():
        return None
    try:
        reader = open_corpus(corpus, format=dataset.format)
        return {
            item.item_id: measure_item(item.data, kinds.get(item.item_id))
            for shard in reader.shards()
            for item in reader.items(shard)
            if item.problem is None and item.item_id in kinds
        }
    except (ConsentryError, OSError, ValueError):
        return None


def _item(row: dict[str, Any], measures: dict[str, ItemMeasure] | None) -> ItemFacts:
    found = None if measures is None else measures.get(row["item_id"])
    return ItemFacts(
        item_id=row["item_id"],
        source=row.get("source"),
        kind=row.get("kind"),
        decision=row["decision"],
        reasons=tuple(row.get("reasons") or ()),
        work_id=row.get("work_id"),
        work_ids=tuple(row_works(row)),
        licence_id=row.get("licence_id"),
        sha256=row.get("sha256"),
        content_sha256=row.get("content_sha256"),
        size=None if found is None else found.bytes,
        tokens=None if found is None else found.tokens,
        seconds=None if found is None else found.seconds,
    )
