"""Take a work out of a dataset version (``consentry remove``) and issue its certificate.

One removal, in order: find the work's items among the old version's included
ones (exact hashes and the matching layer), write the new version's outputs
into a new folder, then in ONE unit of work record the new dataset version,
the removal and the log entries ``removal.requested``, ``dataset.committed``
and ``removal.completed`` (which commits to the certificate's claims). After
that, sign a checkpoint, assemble the certificate (JSON and HTML) beside the
new outputs, and record it with a ``certificate.issued`` entry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from consentry.actions.ids import new_id
from consentry.actions.index import refresh_index
from consentry.actions.log import record
from consentry.actions.outputs import output_folder, remember_outputs
from consentry.actions.remove_certificate import issue_certificate
from consentry.actions.remove_manifest import manifest_rows, read_old
from consentry.actions.remove_outputs import (
    Written,
    discard,
    new_rows,
    prepare_out_dir,
    select_items,
    summary_of,
    write_outputs,
)
from consentry.actions.workspace import Workspace
from consentry.corpus import open_corpus
from consentry.domain import Work
from consentry.errors import InvalidInput
from consentry.evidence import events
from consentry.evidence.certificate import CANNOT_PROVE, claims_digest, proven_absent
from consentry.evidence.commitment import Commitment
from consentry.evidence.events_removal import removal_completed, removal_requested
from consentry.evidence.removal import Found, Removal
from consentry.provenance import DatasetVersion, TrainedOn
from consentry.scan.run import ScanSummary
from consentry.store import Registry
from consentry.store.removals import RemovalStore


@dataclass(frozen=True, slots=True)
class RemovalResult:
    """A completed removal: the record, where the new version and its certificate are."""

    removal: Removal
    out_dir: Path
    certificate: Path
    html: Path
    items: tuple[str, ...]
    models: tuple[dict[str, Any], ...]
    old_root: str
    new_root: str


@dataclass(frozen=True, slots=True)
class _Old:
    version: DatasetVersion
    position: int
    root: str
    size: int
    folder: Path | None
    lineage: tuple[str, ...]


def remove_work(
    ws: Workspace,
    work_id: str,
    dataset_id: str,
    *,
    reason: str | None = None,
    source_dir: Path | None = None,
    out_dir: Path | None = None,
    text_field: str | None = None,
    id_field: str | None = None,
    on_commit: Callable[[Registry, Removal], None] | None = None,
) -> RemovalResult:
    """Write a new version of ``dataset_id`` without ``work_id`` and its near copies.

    ``source_dir`` is the folder the old version's outputs are in (known by
    itself for a version a removal wrote); ``out_dir`` defaults to a sibling
    named after the removal. Nothing is recorded unless everything is written.
    Without ``source_dir`` the folder recorded for the old version is used
    (:mod:`consentry.actions.outputs`). ``on_commit`` runs inside the unit of
    work that records the removal (a complaint links its remedy there), so
    that both commit or neither does.
    """
    requested_at = ws.now()
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        old = _old_version(registry, dataset_id, source_dir)
    folder = output_folder(ws, dataset_id, source_dir, option="--from DIR")
    prints = work.fingerprints
    hashes = frozenset(h for h in (prints.sha256, prints.content_sha256) if h)
    manifest_sha256 = old.version.manifest_sha256
    old_manifest = read_old(folder, manifest_sha256, work.id, hashes)
    if old_manifest.commitment.root.hex() != old.root:
        raise InvalidInput(f"the manifest in {folder} does not give the logged root")
    reader = open_corpus(
        Path(old.version.corpus),
        format=old.version.format,
        text_field=text_field,
        id_field=id_field,
    )
    selection = select_items(reader, old_manifest, work.id, refresh_index(ws))
    del old_manifest  # the included items' index is not needed past the corpus pass
    removal_id, new_dataset = new_id("rm"), new_id("ds")
    rows = new_rows(manifest_rows(folder, manifest_sha256), selection.found, removal_id, work.id)
    summary = summary_of(old.version.params_json)
    summary.dataset_version = new_dataset
    target = out_dir or folder.parent / f"{folder.name}-{removal_id}"
    prepare_out_dir(target)
    try:
        written = write_outputs(reader, target, rows, selection, summary, work.id)
        commitment = written.commitment
        with (target / "manifest.jsonl").open("rb") as handle:
            digest = hashlib.file_digest(handle, "sha256").hexdigest()
        removal = Removal(
            removal_id, work.id, dataset_id, new_dataset, reason, str(target),
            len(selection.found), requested_at, ws.now(),
        )  # fmt: skip
        version = _new_version(ws, old.version, new_dataset, written.summary, digest)
        with ws.transaction() as registry:
            models = _flagged(registry, old, work, written.names_work, removal.items_removed)
            claims = _claims(removal, work, old, written, digest, selection.found, models)
            positions = _commit(ws, registry, removal, version, commitment, claims, work)
            if on_commit is not None:
                on_commit(registry, removal)
    except BaseException:
        discard(target)
        raise
    cert_path, html_path = issue_certificate(
        ws, removal, claims, commitment, [old.position, *positions]
    )
    return RemovalResult(
        removal, target, cert_path, html_path, tuple(sorted(selection.found)),
        tuple(models), old.root, commitment.root.hex(),
    )  # fmt: skip


def _old_version(registry: Registry, dataset_id: str, source_dir: Path | None) -> _Old:
    version = registry.get_dataset_version(dataset_id)
    store = RemovalStore(registry.conn)
    made_by = store.removal_making(dataset_id)
    folder = source_dir or (Path(made_by.out_dir) if made_by else None)
    found = None
    for stored in registry.log_leaves_from(0):  # no times: only type and body are read
        if stored.type == "dataset.committed":
            body = json.loads(stored.body)
            if body.get("dataset") == dataset_id:
                found = (stored.position, body)
    if found is None:
        raise InvalidInput(f"dataset version {dataset_id} was never committed to the log")
    lineage = [dataset_id]
    while made_by is not None:
        lineage.append(made_by.dataset_version_id)
        made_by = store.removal_making(made_by.dataset_version_id)
    position, body = found
    return _Old(version, position, body["root"], body["size"], folder, tuple(lineage))


def _new_version(
    ws: Workspace, old: DatasetVersion, new_dataset: str, summary: ScanSummary, digest: str
) -> DatasetVersion:
    items, included = summary.items, summary.included
    return DatasetVersion(
        id=new_dataset,
        corpus=old.corpus,
        format=old.format,
        use=old.use,
        regime=old.regime,
        as_of=old.as_of,
        developer_id=old.developer_id,
        params_json=old.params_json,
        items=items,
        included=included,
        excluded=items - included,
        manifest_sha256=digest,
        created_at=ws.now(),
    )


def _flagged(
    registry: Registry, old: _Old, work: Work, seen_anywhere: bool, removed: int
) -> list[dict[str, Any]]:
    """Model versions trained on this version or an earlier one that held the work.

    ``seen_anywhere``: some row of the new version (excluded ones too) names the work.
    """
    flagged = []
    for model in registry.list_model_versions():
        for t in registry.trainings_of(model.id):
            if t.dataset_version_id not in old.lineage:
                continue
            if removed:
                why = f"trained on {t.dataset_version_id}, which held the {removed} item(s) removed"
            elif t.used is TrainedOn.ALL and seen_anywhere:
                why = (
                    f"trained on all of {t.dataset_version_id}, "
                    "including excluded items holding the work"
                )
            else:
                continue
            flagged.append(
                {
                    "model_version": model.id,
                    "name": model.name,
                    "version": model.version,
                    "dataset": t.dataset_version_id,
                    "used": t.used.value,
                    "flag": "retrain_or_unlearn",
                    "why": why,
                }
            )
    return flagged


def _claims(
    removal: Removal,
    work: Work,
    old: _Old,
    written: Written,
    digest: str,
    found: dict[str, Found],
    models: list[dict[str, Any]],
) -> dict[str, Any]:
    prints, commitment = work.fingerprints, written.commitment
    items = [
        {
            "item_id": r["item_id"],
            "sha256": r["sha256"],
            "content_sha256": r["content_sha256"],
            "norm": r["norm"],
            "match": found[r["item_id"]].match,
            "score": round(found[r["item_id"]].score, 4),
        }
        for r in written.removed
    ]
    near = [
        {"scheme": s, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
        for s, data in sorted(prints.near.items())
    ]
    return {
        "removal": removal.id,
        "work": {
            "id": work.id,
            "kind": work.kind.value,
            "sha256": prints.sha256,
            "content_sha256": prints.content_sha256,
            "norm": prints.norm,
            "near": near,
        },
        "old": {"dataset": old.version.id, "root": old.root, "size": old.size},
        "new": {
            "dataset": removal.new_dataset_version_id,
            "root": commitment.root.hex(),
            "size": len(commitment),
            "manifest_sha256": digest,
        },
        "removed": {"count": len(items), "items": items},
        "proven_absent": proven_absent((prints.sha256, prints.content_sha256), items),
        "models": models,
        "requested_at": _when(removal.requested_at),
        "completed_at": _when(removal.completed_at),
        "cannot_prove": list(CANNOT_PROVE),
    }


def _when(at: datetime) -> str:
    return at.isoformat()


def _commit(
    ws: Workspace,
    registry: Registry,
    removal: Removal,
    version: DatasetVersion,
    commitment: Commitment,
    claims: dict[str, Any],
    work: Work,
) -> list[int]:
    """Record the new version, the removal and its three log entries; their positions."""
    registry.add_dataset_version(version)
    RemovalStore(registry.conn).add_removal(removal)
    remember_outputs(registry, version.id, Path(removal.out_dir), version.manifest_sha256)
    prints = work.fingerprints
    entries = [
        removal_requested(
            removal.id, work.id, removal.dataset_version_id, prints.sha256,
            prints.content_sha256, claims["requested_at"],
        ),
        events.dataset_committed(
            version.id, version.manifest_sha256, commitment.root.hex(), len(commitment),
            version.as_of,
        ),
        removal_completed(
            removal.id, work.id, removal.dataset_version_id, version.id,
            removal.items_removed, claims_digest(claims), claims["completed_at"],
        ),
    ]  # fmt: skip
    return [record(ws, registry, e) for e in entries]
