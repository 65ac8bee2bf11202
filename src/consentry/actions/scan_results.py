"""Scans kept where the portal can show them, and which models used a work.

A dataset version in the registry remembers its counts and its manifest's
digest, not where its manifest lies. Scans started from the portal (and the
demo's scan, copied in by :func:`keep_scan_output`) keep their
``manifest.jsonl`` and ``summary.json`` in one folder per dataset version
(:func:`scans_dir`), so that a developer can read the results and a creator
can see which dataset versions, and so which models, used a work. A manifest
is only shown when its SHA-256 still matches the digest the log committed to.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace
from consentry.domain import Use
from consentry.errors import InvalidInput, NotFound
from consentry.provenance import DatasetVersion, ModelVersion, TrainedOn
from consentry.scan import ScanSummary
from consentry.scan.executors import ShardDone

MANIFEST, SUMMARY, SOURCE = "manifest.jsonl", "summary.json", "source"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,120}$")
_DATASET_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")


def scans_dir(ws: Workspace, root: Path | None = None) -> Path:
    """The folder holding one sub-folder of scan outputs per dataset version.

    Under ``root`` (the service's data folder) when given, else under the
    service's default: beside an SQLite registry, or ``./consentry-service``.
    """
    base = root or ws.beside_database(".service", "consentry-service")
    return base / "portal-scans"


def safe_file_name(name: str) -> str:
    """The last part of an uploaded file's name, refused when it could escape or hide."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not _SAFE_NAME.match(base) or base in {".", ".."}:
        raise InvalidInput(
            f"the file name {name!r} is not allowed",
            hint="use letters, digits, dots, dashes and underscores only",
        )
    return base


def store_upload(
    ws: Workspace,
    files: Sequence[tuple[str, bytes]],
    *,
    use: str,
    root: Path | None = None,
) -> tuple[Path, Use]:
    """Check uploaded files and write them as a folder corpus under :func:`scans_dir`.

    Returns the upload's folder (the corpus is its ``corpus/``) and the use.
    Bad input (no files, two with one name, an unknown use) writes nothing.
    """
    if not files:
        raise InvalidInput("choose at least one file to scan")
    names = [safe_file_name(n) for n, _ in files]
    if len(set(names)) != len(names):
        raise InvalidInput("two uploaded files have the same name")
    try:
        chosen = Use(use)
    except ValueError:
        raise InvalidInput(f"unknown use {use!r}") from None
    kept = scans_dir(ws, root)
    kept.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(dir=kept, prefix="upload-"))
    (folder / "corpus").mkdir()
    for name, (_, data) in zip(names, files, strict=True):
        (folder / "corpus" / name).write_bytes(data)
    return folder, chosen


def scan_stored(
    ws: Workspace,
    folder: Path,
    developer_id: str,
    use: Use,
    *,
    root: Path | None = None,
    on_done: ShardDone | None = None,
) -> ScanSummary:
    """Scan an upload stored by :func:`store_upload` and keep its outputs for the portal.

    The corpus and the outputs stay under the kept scans (a removal re-reads
    both); a scan that fails leaves nothing behind.
    """
    try:
        summary = scan(
            ws, folder / "corpus", folder / "out", developer_ref=developer_id, use=use,
            on_done=on_done,
        )  # fmt: skip
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    assert summary.dataset_version is not None
    keep_scan_output(ws, summary.dataset_version, folder / "out", root=root)
    return summary


def keep_scan_output(
    ws: Workspace, dataset_id: str, out_dir: Path, *, root: Path | None = None
) -> Path:
    """Copy a scan's manifest and summary into the portal's folder for its dataset version.

    ``source`` in that folder names ``out_dir``, where the full outputs stay.
    """
    if not _DATASET_ID.match(dataset_id):
        raise InvalidInput(f"not a dataset version id: {dataset_id!r}")
    target = scans_dir(ws, root) / dataset_id
    target.mkdir(parents=True, exist_ok=True)
    for name in (MANIFEST, SUMMARY):
        shutil.copyfile(out_dir / name, target / f".{name}.tmp")
        (target / f".{name}.tmp").replace(target / name)
    (target / SOURCE).write_text(str(Path(out_dir).resolve()) + "\n", encoding="utf-8")
    return target


def scan_outputs(ws: Workspace, dataset_id: str, *, root: Path | None = None) -> Path | None:
    """The folder holding a kept scan's full outputs (cleared items, hashes), if known."""
    if not _DATASET_ID.match(dataset_id):
        return None
    try:
        text = (scans_dir(ws, root) / dataset_id / SOURCE).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return Path(text) if text else None


@dataclass(frozen=True)
class ScanResult:
    """A dataset version, its manifest rows and its counts by decision and reason."""

    version: DatasetVersion
    rows: list[dict[str, Any]]
    counts: dict[tuple[str, str], int]


def scan_result(ws: Workspace, dataset_id: str, *, root: Path | None = None) -> ScanResult:
    """The kept manifest of a dataset version, checked against the digest in the registry."""
    with ws.transaction() as registry:
        version = registry.get_dataset_version(dataset_id)
    rows = _manifest_rows(ws, version, root)
    if rows is None:
        raise NotFound(
            f"the manifest of {dataset_id} is not kept here",
            hint="scans run from the portal or the demo keep theirs",
        )
    counts = Counter((r["decision"], _reason_code(r)) for r in rows)
    return ScanResult(version, rows, dict(counts))


def _reason_code(row: dict[str, Any]) -> str:
    reasons = row.get("reasons") or ["none"]
    return str(reasons[0]).split(":", 1)[0]


def _manifest_rows(
    ws: Workspace, version: DatasetVersion, root: Path | None
) -> list[dict[str, Any]] | None:
    if not _DATASET_ID.match(version.id):
        return None
    path = scans_dir(ws, root) / version.id / MANIFEST
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if hashlib.sha256(data).hexdigest() != version.manifest_sha256:
        return None  # not the manifest the log committed to: show nothing rather than a wrong one
    return [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]


def developer_scans(ws: Workspace, developer_id: str) -> list[DatasetVersion]:
    """The developer's dataset versions, newest first."""
    with ws.transaction() as registry:
        found = [v for v in registry.list_dataset_versions() if v.developer_id == developer_id]
    return found[::-1]


@dataclass(frozen=True)
class WorkUse:
    """A dataset version whose manifest names a work, and the models trained on it."""

    version: DatasetVersion
    items: int
    included: int
    models: list[tuple[ModelVersion, TrainedOn]]

    @property
    def used_by_models(self) -> list[ModelVersion]:
        """Models that used the work: trained on its included items, or on everything."""
        return [m for m, used in self.models if self.included or used is TrainedOn.ALL]


def work_usage(ws: Workspace, work_id: str, *, root: Path | None = None) -> list[WorkUse]:
    """Every kept dataset version whose items matched the work, with the models trained on it."""
    with ws.transaction() as registry:
        versions = registry.list_dataset_versions()
        models = registry.list_model_versions()
        trainings = {m.id: registry.trainings_of(m.id) for m in models}
    found: list[WorkUse] = []
    for version in versions:
        rows = _manifest_rows(ws, version, root) or []
        hits = [r for r in rows if _names(r, work_id)]
        if not hits:
            continue
        trained = [
            (m, t.used)
            for m in models
            for t in trainings[m.id]
            if t.dataset_version_id == version.id
        ]
        included = sum(1 for r in hits if r["decision"] == "include")
        found.append(WorkUse(version, len(hits), included, trained))
    return found


def _names(row: dict[str, Any], work_id: str) -> bool:
    if row.get("work_id") == work_id:
        return True
    return any(m.get("work_id") == work_id for m in row.get("matches") or [])
