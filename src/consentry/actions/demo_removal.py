"""Demo step: Ada takes *The Book of Ruth* out of Northwind AI's scanned dataset.

Runs after ``scan_corpus``. A model version is recorded as trained on the
scanned version (unless one already was), then ``ruth`` is removed: the exact
copy and the essay quoting it go, the new version is written to
``removal/`` with its certificate (JSON and HTML), and the certificate is
checked offline the way the creator would, with her own file and the log's
published key. A certificate that does not verify stops the demo.
"""

from __future__ import annotations

import contextlib

from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.actions.log import public_key
from consentry.actions.models import add_model_version, record_training
from consentry.actions.remove import remove_work
from consentry.actions.verify_certificate import verify_file
from consentry.errors import ConflictError, ConsentryError

REMOVED_WORK = "ruth"
MODEL = ("northwind-base", "1.0")


def remove_and_certify(ctx: DemoContext) -> None:
    """Remove one work from the scanned dataset, write its certificate, and verify it."""
    if ctx.scan is None or ctx.scan.dataset_version is None:
        raise ConsentryError("the removal step needs the scan step before it")
    dataset = ctx.scan.dataset_version
    _trained_model(ctx, dataset)
    out = ctx.root / "removal"
    result = remove_work(
        ctx.ws,
        REMOVED_WORK,
        dataset,
        reason="demo: the author withdrew her consent",
        source_dir=ctx.paths["manifest"].parent,
        out_dir=out,
    )
    report = verify_file(
        result.certificate,
        key=public_key(ctx.ws),
        work=ctx.root / "works" / "texts" / "ruth.txt",
        hashes=out / "included-hashes.bin",
    )
    if not report.ok:
        raise ConsentryError(
            "the demo's removal certificate does not verify: " + "; ".join(report.failures)
        )
    ctx.paths["removal"] = out
    ctx.paths["certificate"] = result.certificate
    ctx.paths["certificate_html"] = result.html


def _trained_model(ctx: DemoContext, dataset: str) -> None:
    """Record a model trained on the scanned version, so the certificate flags one."""
    with contextlib.suppress(ConflictError):
        add_model_version(ctx.ws, *MODEL, developer_ref=DEVELOPER)
    record_training(ctx.ws, *MODEL, dataset)
