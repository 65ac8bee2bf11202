"""``consentry report``: write a model version's report in every format and log its hash.

The report is built once, as data (:func:`consentry.transparency.build.build_report`),
from the registry, the dataset versions' committed manifests, the usage ledger
and the evidence log; every file is rendered from that data. Each file is
written under a temporary name and renamed; ``SHA256SUMS`` lists them all, and
its SHA-256 (the report's hash) goes into the log with the model's
training-set commitment, in one unit of work. ``publication.json`` then links
the report to that entry: its position and a receipt (inclusion proof under a
signed checkpoint) that anyone can check with the log's public key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.actions.log import prove, record
from consentry.actions.report_inputs import gather
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.evidence.events_report import report_published
from consentry.transparency.answers import Answers, parse_answers
from consentry.transparency.build import build_report
from consentry.transparency.croissant import render_croissant
from consentry.transparency.cyclonedx import render_cyclonedx
from consentry.transparency.eu_summary import build_summary, to_markdown
from consentry.transparency.report_html import (
    PUBLICATION_FILE,
    render_report_html,
    render_summary_html,
)
from consentry.transparency.spdx import render_spdx

SUMS_FILE = "SHA256SUMS"


@dataclass(frozen=True)
class ReportFiles:
    """What was written: each file by role, the report's hash and its log entry's position."""

    out_dir: Path
    files: dict[str, Path]
    report_sha256: str
    log_position: int


def read_answers(path: Path | None) -> Answers:
    """The developer's answers file, or no answers (every such question "not provided")."""
    if path is None:
        return Answers({})
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read the answers file {path}: {exc.strerror}") from exc
    return parse_answers(text, str(path))


def render_all(report: dict[str, Any], answers: Answers) -> dict[str, bytes]:
    """Every file of the report by its name in the output folder (pure, no I/O)."""
    summary = build_summary(report, answers)
    files = {
        "report.json": _json(report),
        "report.html": render_report_html(report).encode(),
        "eu-training-summary.json": _json(summary),
        "eu-training-summary.md": to_markdown(summary).encode(),
        "eu-training-summary.html": render_summary_html(summary).encode(),
        "model.spdx.json": _json(render_spdx(report, answers)),
        "model.cdx.json": _json(render_cyclonedx(report)),
    }
    for d in report["datasets"]:
        files[f"croissant/{d['id']}.json"] = _json(render_croissant(report, d, answers))
    return files


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode()


def write_report(
    ws: Workspace,
    name: str,
    version: str,
    out_dir: Path,
    *,
    scans: Sequence[Path] = (),
    answers_file: Path | None = None,
) -> ReportFiles:
    """Write the report of model ``name`` ``version`` into ``out_dir`` and log its hash."""
    answers = read_answers(answers_file)
    report = build_report(gather(ws, name, version, scans, answers))
    files = render_all(report, answers)
    sums = "".join(
        f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(files.items())
    ).encode()
    files[SUMS_FILE] = sums
    for path, data in files.items():
        _write(out_dir / path, data)
    digest = hashlib.sha256(sums).hexdigest()
    ts = report["training_set"]
    entry = report_published(report["model"]["id"], digest, ts["root"], ts["size"], ts["datasets"])
    with ws.transaction() as registry:
        position = record(ws, registry, entry)
    publication = {
        "model_version": report["model"]["id"],
        "report_sha256": digest,
        "report_sha256_of": SUMS_FILE,
        "training_set": {"root": ts["root"], "size": ts["size"]},
        "log_position": position,
        "log_entry": json.loads(entry.canonical()),
        "receipt": prove(ws, position).text(),
    }
    _write(out_dir / PUBLICATION_FILE, _json(publication))
    paths = {p: out_dir / p for p in [*files, PUBLICATION_FILE]}
    return ReportFiles(out_dir, paths, digest, position)


def _write(path: Path, data: bytes) -> None:
    """Write under a temporary name, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
