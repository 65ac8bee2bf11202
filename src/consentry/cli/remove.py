"""``consentry remove WORK --dataset D``: a dataset version without a work, and a certificate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from consentry.actions.remove import RemovalResult, remove_work
from consentry.cli.common import console, print_json, workspace


def remove(
    ctx: typer.Context,
    work: Annotated[str, typer.Argument(help="The registered work's id.")],
    dataset: Annotated[
        str, typer.Option("--dataset", help="The dataset version to remove it from.")
    ],
    reason: Annotated[
        str | None,
        typer.Option(help="Why (kept in the registry only; never in the log or the certificate)."),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--from",
            help="The folder holding that version's outputs (needed for a scan's version).",
            file_okay=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Where to write the new version (default: beside the old, named by the removal)."
        ),
    ] = None,
    text_field: Annotated[
        str | None, typer.Option(help="The text field the scan read (JSONL, Parquet).")
    ] = None,
    id_field: Annotated[str | None, typer.Option(help="The id field the scan read.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write a new dataset version without WORK and its near copies; issue a removal certificate.

    Items go when they hold the work: its exact hashes, or a near copy or an
    excerpt the matching layer finds. The new version gets a new cleared
    output, manifest and hash list, is committed to the log with the request
    and completion entries, and comes with a certificate (JSON + HTML) that
    the creator checks offline with `consentry verify`.
    """
    with workspace(ctx) as ws:
        result = remove_work(
            ws, work, dataset, reason=reason, source_dir=source, out_dir=out,
            text_field=text_field, id_field=id_field,
        )  # fmt: skip
    if as_json:
        print_json(_as_dict(result))
        return
    _print(result)


def _as_dict(r: RemovalResult) -> dict[str, object]:
    return {
        "removal": r.removal.id,
        "work": r.removal.work_id,
        "dataset": r.removal.dataset_version_id,
        "new_dataset": r.removal.new_dataset_version_id,
        "items_removed": list(r.items),
        "old_root": r.old_root,
        "new_root": r.new_root,
        "models_flagged": list(r.models),
        "out_dir": str(r.out_dir),
        "certificate": str(r.certificate),
        "html": str(r.html),
    }


def _print(r: RemovalResult) -> None:
    out = console.print
    out(
        f"removal {r.removal.id}: work {r.removal.work_id} taken out of "
        f"{r.removal.dataset_version_id}; new version {r.removal.new_dataset_version_id}",
        highlight=False,
    )
    out(f"{len(r.items)} item(s) removed", highlight=False)
    for item in r.items:
        out(f"  - {item}", markup=False, highlight=False)
    for m in r.models:
        out(
            f"[yellow]flagged for retraining or unlearning:[/] "
            f"{m['name']} {m['version']} ({m['why']})"
        )
    out(f"new version in {r.out_dir}", markup=False, highlight=False)
    out(f"certificate: {r.certificate}", markup=False, highlight=False)
    out(f"readable page: {r.html}", markup=False, highlight=False)
