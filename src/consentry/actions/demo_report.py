"""Demo step: write the model report for the demo's trained model version.

Runs after ``scan_corpus`` (and after the ledger and removal steps when they
run). The report is written for the model version recorded last with a
training; when none was recorded, ``northwind-base`` 1.0 is recorded as
trained on the scanned dataset version's cleared items (measured into the
usage ledger). The report's files go to ``report/``; each is named in
``ctx.paths`` as ``report:<file>``.
"""

from __future__ import annotations

import contextlib

from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.actions.ledger_training import TrainingSource
from consentry.actions.models import add_model_version, list_model_versions, record_training
from consentry.actions.report import write_report
from consentry.errors import ConflictError, ConsentryError

MODEL = ("northwind-base", "1.0")


def model_report(ctx: DemoContext) -> None:
    """Write the report of the demo's trained model version into ``report/``."""
    if ctx.scan is None or ctx.scan.dataset_version is None:
        raise ConsentryError("the report step needs the scan step before it")
    scan_dir = ctx.paths["manifest"].parent
    trained = [(m, t) for m, t in list_model_versions(ctx.ws) if t]
    if trained:
        model = max(trained, key=lambda mt: (mt[0].created_at, mt[0].id))[0]
        name, version = model.name, model.version
    else:
        name, version = MODEL
        with contextlib.suppress(ConflictError):
            add_model_version(ctx.ws, name, version, developer_ref=DEVELOPER)
        record_training(
            ctx.ws, name, version, ctx.scan.dataset_version, source=TrainingSource(scan_dir)
        )
    scans = sorted({p.parent for p in ctx.root.glob("*/manifest.jsonl")} | {scan_dir})
    written = write_report(ctx.ws, name, version, ctx.root / "report", scans=scans)
    ctx.paths["report"] = written.out_dir
    for role, path in written.files.items():
        ctx.paths[f"report:{role}"] = path
