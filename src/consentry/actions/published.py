"""Published model reports: kept in one folder per model version, checked against the log.

``consentry report`` writes a report wherever it is told; the service shows the
reports kept under its data folder, in ``reports/<model_version_id>/``
(:func:`reports_dir`). A developer publishes one there from the portal
(:func:`publish_report`), or copies in one written elsewhere
(:func:`keep_report`). A kept report is shown only while it is the one the
log committed to: its ``SHA256SUMS`` hashes to the ``report_sha256`` of the
``report.published`` entry its ``publication.json`` names, and every file
served is the one ``SHA256SUMS`` lists. Anything else is not shown.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.actions.report import SUMS_FILE, ReportFiles, write_report
from consentry.actions.scan_results import MANIFEST, scans_dir
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput, NotFound
from consentry.evidence.entry import EntryType, parse_entry
from consentry.transparency.report_html import PUBLICATION_FILE

_ID = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_SUM_LINE = re.compile(r"^([0-9a-f]{64})  ([A-Za-z0-9][A-Za-z0-9._/-]{0,200})$")


def reports_dir(ws: Workspace, root: Path | None = None) -> Path:
    """The folder of kept reports: ``reports/`` beside the portal's kept scans."""
    return scans_dir(ws, root).parent / "reports"


@dataclass(frozen=True)
class Published:
    """A kept report as the log vouches for it: what it is, its files and their digests."""

    model_version_id: str
    report_sha256: str
    log_position: int
    files: dict[str, str]
    report: dict[str, Any]


def publish_report(
    ws: Workspace, model_version_id: str, *, root: Path | None = None
) -> ReportFiles:
    """Write a model version's report into :func:`reports_dir` (the scans kept there are read)."""
    if not _ID.match(model_version_id):
        raise InvalidInput(f"not a model version id: {model_version_id!r}")
    with ws.transaction() as registry:
        model = next((m for m in registry.list_model_versions() if m.id == model_version_id), None)
        if model is None:
            raise NotFound(f"no model version {model_version_id!r}")
        trainings = registry.trainings_of(model.id)
    kept = scans_dir(ws, root)
    scans = [
        kept / t.dataset_version_id
        for t in trainings
        if (kept / t.dataset_version_id / MANIFEST).is_file()
    ]
    target = reports_dir(ws, root) / model.id
    return write_report(ws, model.name, model.version, target, scans=scans)


def keep_report(ws: Workspace, out_dir: Path, *, root: Path | None = None) -> Published:
    """Copy a report written by ``consentry report --out`` where the service shows it."""
    found = _check(ws, out_dir)
    target = reports_dir(ws, root) / found.model_version_id
    if target.resolve() != out_dir.resolve():
        shutil.copytree(out_dir, target, dirs_exist_ok=True)
    return _check(ws, target)


def published_reports(ws: Workspace, *, root: Path | None = None) -> list[Published]:
    """Every kept report the log vouches for, by model name then version."""
    base = reports_dir(ws, root)
    found = []
    for folder in sorted(base.iterdir()) if base.is_dir() else []:
        if _ID.match(folder.name) and (folder / PUBLICATION_FILE).is_file():
            try:
                found.append(_check(ws, folder))
            except (InvalidInput, NotFound):
                continue  # changed since it was written: not shown
    found.sort(key=lambda p: (p.report["model"]["name"], p.report["model"]["version"]))
    return found


def published_report(
    ws: Workspace, model_version_id: str, *, root: Path | None = None
) -> Published:
    """One kept report, checked; NotFound when there is none (or it no longer checks out)."""
    if not _ID.match(model_version_id):
        raise NotFound(f"no published report for {model_version_id!r}")
    folder = reports_dir(ws, root) / model_version_id
    if not (folder / PUBLICATION_FILE).is_file():
        raise NotFound(f"no published report for {model_version_id}")
    return _check(ws, folder)


def report_file(
    ws: Workspace, model_version_id: str, name: str, *, root: Path | None = None
) -> bytes:
    """One file of a kept report, only when ``SHA256SUMS`` lists it with this content."""
    found = published_report(ws, model_version_id, root=root)
    folder = reports_dir(ws, root) / model_version_id
    if name == PUBLICATION_FILE:
        return (folder / PUBLICATION_FILE).read_bytes()
    if name not in found.files:
        raise NotFound(f"the report has no file {name!r}")
    data = (folder / name).read_bytes()
    if hashlib.sha256(data).hexdigest() != found.files[name]:
        raise NotFound(f"{name} changed since the report was published")
    return data


def _check(ws: Workspace, folder: Path) -> Published:
    """The report in ``folder`` when the log's ``report.published`` entry vouches for it."""
    try:
        publication = json.loads((folder / PUBLICATION_FILE).read_text(encoding="utf-8"))
        sums = (folder / SUMS_FILE).read_bytes()
        position = int(publication["log_position"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InvalidInput(f"{folder} holds no published report: {exc}") from exc
    digest = hashlib.sha256(sums).hexdigest()
    with ws.transaction() as registry:
        stored = next(iter(registry.log_entries_from(position)), None)
    if stored is None or stored.position != position:
        raise NotFound(f"the log has no entry {position}")
    entry = parse_entry(stored.body)
    fields = entry.fields
    if entry.type is not EntryType.REPORT_PUBLISHED or fields.get("report_sha256") != digest:
        raise InvalidInput(f"{folder}: the log's entry {position} is not this report")
    files = {}
    for line in sums.decode("utf-8").splitlines():
        matched = _SUM_LINE.match(line)
        if matched is None or ".." in matched.group(2).split("/"):
            raise InvalidInput(f"{folder}: {SUMS_FILE} has a line that is not a file's digest")
        files[matched.group(2)] = matched.group(1)
    try:
        report = json.loads((folder / "report.json").read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{folder}: report.json cannot be read") from exc
    if hashlib.sha256((folder / "report.json").read_bytes()).hexdigest() != files.get(
        "report.json"
    ):
        raise InvalidInput(f"{folder}: report.json changed since it was published")
    return Published(str(fields["model_version"]), digest, position, files, report)
