"""What a complaint is checked against: its evidence files, the scans' manifests, the trainings.

The registry does not keep manifests, only their SHA-256 and the folder the
scan wrote them to; a manifest given with a complaint (``manifest.jsonl`` or
the scan's output folder), or found in that folder, is used only when its
digest is the one the registry committed to for a dataset version the
complaint concerns, so a row it shows is the row the developer's scan wrote.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from consentry.actions.match import match_files
from consentry.actions.outputs import usable_folder
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.licensing.complaints_check import (
    Evidence,
    EvidenceKind,
    RowQuery,
    TrainingRef,
    select_rows,
)
from consentry.store import Registry

MANIFEST = "manifest.jsonl"
Selected = list[tuple[int, Mapping[str, Any], str]]


def file_evidence(
    ws: Workspace, work_id: str, files: Sequence[Path], outputs: Sequence[Path]
) -> list[Evidence]:
    """Fingerprint and match each evidence file and model output against the registry."""
    given = [(EvidenceKind.FILE, p) for p in files] + [(EvidenceKind.OUTPUT, p) for p in outputs]
    for _, path in given:
        if not path.is_file():
            raise InvalidInput(f"evidence {path} is not a readable file")
    if not given:
        return []
    found = match_files(ws, [path for _, path in given])
    evidence = []
    for (kind, path), result in zip(given, found, strict=True):
        matches = tuple(f"{m.work_id}:{m.kind}:{m.score:.4f}" for m in result.result.matches)
        holds = any(m.work_id == work_id for m in result.result.matches)
        evidence.append(Evidence(kind, _sha256(path), None, matches, holds))
    return evidence


def item_evidence(items: Iterable[str]) -> list[Evidence]:
    """Manifest rows the complainant names by their item id."""
    return [Evidence(EvidenceKind.ITEM, item_id=i) for i in dict.fromkeys(items)]


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def trainings_for(
    registry: Registry, dataset_version_id: str | None, model_version_id: str | None
) -> list[TrainingRef]:
    """Trainings on the dataset version (by any model) and of the model version."""
    refs: list[TrainingRef] = []
    for model in registry.list_model_versions():
        for t in registry.trainings_of(model.id):
            if t.dataset_version_id == dataset_version_id or t.model_version_id == model_version_id:
                refs.append(TrainingRef(t.model_version_id, t.dataset_version_id, t.used.value))
    return sorted(set(refs), key=lambda r: (r.dataset_version_id, r.model_version_id, r.used))


def read_manifests(
    registry: Registry, datasets: Sequence[str], manifests: Sequence[Path], query: RowQuery
) -> dict[str, Selected | None]:
    """Each dataset version's relevant rows, from the manifest given for it (None: not given).

    A manifest that belongs to none of ``datasets`` is refused: a complaint is
    checked only against the scans it concerns, exactly as committed. A dataset
    version given no manifest is read from the folder its scan recorded, when
    that is there unchanged (:func:`consentry.actions.outputs.usable_folder`);
    otherwise it stays unchecked.
    """
    wanted = {registry.get_dataset_version(d).manifest_sha256: d for d in datasets}
    found: dict[str, Selected | None] = dict.fromkeys(datasets)
    for given in manifests:
        path = given / MANIFEST if given.is_dir() else given
        digest, rows = _scan_manifest(path, query)
        if digest not in wanted:
            raise InvalidInput(
                f"{path} is not the manifest of dataset version {', '.join(datasets) or '(none)'}:"
                f" its SHA-256 is {digest}",
                hint="give the manifest.jsonl the scan wrote, unchanged",
            )
        found[wanted[digest]] = rows
    for dataset_id in [d for d, rows in found.items() if rows is None]:
        folder = usable_folder(registry, dataset_id)
        if folder is not None:
            found[dataset_id] = _scan_manifest(folder / MANIFEST, query)[1]
    return found


def _scan_manifest(path: Path, query: RowQuery) -> tuple[str, Selected]:
    """The file's SHA-256 and its rows for ``query``, in one pass."""
    digest = hashlib.sha256()

    def lines(handle: Iterable[bytes]) -> Iterator[bytes]:
        for line in handle:
            digest.update(line)
            yield line

    try:
        with path.open("rb") as handle:
            rows = select_rows(lines(handle), query)
    except OSError as exc:
        raise InvalidInput(f"cannot read the manifest {path}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise InvalidInput(f"{path} is not a scan manifest (JSON lines): {exc}") from exc
    return digest.hexdigest(), rows
