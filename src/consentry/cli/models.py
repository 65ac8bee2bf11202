"""``consentry models`` and ``consentry datasets``: model versions, what they were trained on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import models as actions
from consentry.actions.ledger import TrainingSource
from consentry.actions.outputs import default_scan_dir, locate_outputs
from consentry.cli.common import console, print_json, workspace
from consentry.fees import fee_terms_from_json
from consentry.provenance import TrainedOn

app = typer.Typer(help="Model versions and what they were trained on.", no_args_is_help=True)
datasets = typer.Typer(help="Dataset versions: completed scans.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The model's name.")],
    version: Annotated[str, typer.Option("--version", help="The version.")],
    developer: Annotated[str | None, typer.Option(help="The developer (id or name).")] = None,
) -> None:
    """Record a model version."""
    with workspace(ctx) as ws:
        model = actions.add_model_version(ws, name, version, developer_ref=developer)
    console.print(f"model [cyan]{model.name}[/] version {model.version} ({model.id})")


@app.command("record-training")
def record_training(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The model's name.")],
    version: Annotated[str, typer.Option("--version", help="The model version.")],
    dataset: Annotated[str, typer.Option("--dataset", help="The dataset version (a scan).")],
    used: Annotated[
        TrainedOn, typer.Option(help="cleared: only what the scan included; all: everything.")
    ] = TrainedOn.CLEARED,
    epochs: Annotated[int | None, typer.Option(help="Epochs over the data.")] = None,
    scan_dir: Annotated[
        Path | None,
        typer.Option(
            help="The scan's --out folder (default: the one recorded): measure each work's use."
        ),
    ] = None,
    corpus: Annotated[
        Path | None, typer.Option(help="Where the scanned corpus is now, if it moved.")
    ] = None,
    text_field: Annotated[str | None, typer.Option(help="JSONL/Parquet text field.")] = None,
    id_field: Annotated[str | None, typer.Option(help="JSONL/Parquet id field.")] = None,
    tariff: Annotated[
        Path | None, typer.Option(help="Fee terms (JSON) offered for unlicensed past uses.")
    ] = None,
    trained_at: Annotated[
        datetime | None, typer.Option(help="When the training ran (default: now, UTC).")
    ] = None,
) -> None:
    """Record that a model version was trained on a dataset version.

    The use of every work is measured and recorded in the ledger, from --scan-dir
    or, by default, the folder the scan recorded (checked against the log).
    """
    terms = fee_terms_from_json(tariff.read_text(encoding="utf-8")) if tariff else None
    when = trained_at.replace(tzinfo=trained_at.tzinfo or UTC) if trained_at else None
    with workspace(ctx) as ws:
        scan_dir = scan_dir or default_scan_dir(ws, dataset)
        source = TrainingSource(scan_dir, corpus, text_field, id_field) if scan_dir else None
        training = actions.record_training(
            ws,
            name,
            version,
            dataset,
            used=used,
            epochs=epochs,
            source=source,
            tariff=terms,
            trained_at=when,
        )
    console.print(
        f"{name} {version} trained on {training.dataset_version_id} ({training.used.value})"
    )
    if source is None:
        console.print("usage per work not recorded: give --scan-dir (the scan's --out folder)")


@app.command("list")
def list_models(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every model version and the dataset versions it was trained on."""
    with workspace(ctx) as ws:
        found = actions.list_model_versions(ws)
    if as_json:
        print_json(
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "version": m.version,
                    "developer_id": m.developer_id,
                    "trainings": [
                        {"dataset": t.dataset_version_id, "used": t.used.value, "epochs": t.epochs}
                        for t in trainings
                    ],
                }
                for m, trainings in found
            ]
        )
        return
    table = Table("model", "version", "trained on")
    for m, trainings in found:
        on = ", ".join(f"{t.dataset_version_id} ({t.used.value})" for t in trainings)
        table.add_row(m.name, m.version, on or "-")
    console.print(table)


@datasets.command("list")
def list_datasets(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every completed scan: corpus, use, regime, counts and manifest digest."""
    with workspace(ctx) as ws:
        found = actions.list_dataset_versions(ws)
    if as_json:
        print_json(
            [
                {
                    "id": d.id,
                    "corpus": d.corpus,
                    "use": d.use,
                    "regime": d.regime,
                    "as_of": d.as_of.isoformat(),
                    "developer_id": d.developer_id,
                    "items": d.items,
                    "included": d.included,
                    "excluded": d.excluded,
                    "manifest_sha256": d.manifest_sha256,
                }
                for d in found
            ]
        )
        return
    table = Table("dataset", "corpus", "use", "regime", "items", "included", "manifest sha256")
    for d in found:
        table.add_row(
            d.id, d.corpus, d.use, d.regime, str(d.items), str(d.included), d.manifest_sha256[:16]
        )
    console.print(table)


@datasets.command("locate")
def locate(
    ctx: typer.Context,
    dataset: Annotated[str, typer.Argument(help="The dataset version.")],
    folder: Annotated[
        Path, typer.Argument(help="Where its outputs are now.", file_okay=False, exists=True)
    ],
) -> None:
    """Record where a dataset version's outputs are now (its manifest is checked against the log).

    Removal, complaints, the ledger and reports take this folder by default.
    """
    with workspace(ctx) as ws:
        where = locate_outputs(ws, dataset, folder)
    console.print(f"{dataset}: outputs in {where}", markup=False, highlight=False)
