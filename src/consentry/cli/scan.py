"""``consentry scan CORPUS --out DIR``: every item decided, with reasons; the cleared data out."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from consentry.actions.scan import scan as run
from consentry.cli.common import as_utc, console, print_json, workspace
from consentry.corpus.item import Shard
from consentry.domain import Use
from consentry.policy import Regime
from consentry.scan.limits import DEFAULT_ITEM_SECONDS
from consentry.scan.run import ScanSummary


def scan(
    ctx: typer.Context,
    corpus: Annotated[
        str,
        typer.Argument(
            help="A folder, JSONL, Parquet, tar or WARC corpus: a local path or an fsspec URL."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="Where the outputs go.")],
    developer: Annotated[
        str | None, typer.Option(help="The developer (id or name); without it nothing is licensed.")
    ] = None,
    use: Annotated[Use, typer.Option(help="The use scanned for.")] = Use.AI_TRAINING,
    regime: Annotated[
        Regime, typer.Option(help="consent (default) or reservation (EU TDM, chosen explicitly).")
    ] = Regime.CONSENT,
    as_of: Annotated[
        datetime | None, typer.Option("--as-of", help="Decide as of this date (default: now).")
    ] = None,
    model: Annotated[str | None, typer.Option(help="The model to be trained.")] = None,
    territory: Annotated[str | None, typer.Option(help="Territory (ISO 3166).")] = None,
    rules: Annotated[
        Path | None, typer.Option(help="Rules for unregistered material (JSON).")
    ] = None,
    corpus_format: Annotated[
        str | None, typer.Option("--format", help="Corpus format (sniffed if absent).")
    ] = None,
    text_field: Annotated[str | None, typer.Option(help="JSONL/Parquet text field.")] = None,
    id_field: Annotated[str | None, typer.Option(help="JSONL/Parquet id field.")] = None,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = os.cpu_count() or 1,
    executor: Annotated[
        str, typer.Option(help="local (processes on this machine) or ray (a Ray cluster).")
    ] = "local",
    address: Annotated[
        str | None, typer.Option(help="Ray cluster address (default: start a local one).")
    ] = None,
    read_signals: Annotated[
        bool, typer.Option("--signals/--no-signals", help="Read reservation signals (default).")
    ] = True,
    robots_dir: Annotated[
        Path | None, typer.Option(help="Captured robots.txt files, one per host (<host>.txt).")
    ] = None,
    item_timeout: Annotated[
        float,
        typer.Option(help="Seconds of work allowed per item (0: no limit); past it, unreadable."),
    ] = DEFAULT_ITEM_SECONDS,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Decide every item of a corpus for a developer and use; write the manifest and cleared data.

    Exits 0 when the scan completed, whatever it excluded.
    """
    with workspace(ctx) as ws, _progress(quiet=as_json) as on_done:
        summary = run(
            ws,
            corpus,
            out,
            developer_ref=developer,
            use=use,
            regime=regime,
            as_of=as_utc(as_of),
            model=model,
            territory=territory,
            rules_file=rules,
            corpus_format=corpus_format,
            text_field=text_field,
            id_field=id_field,
            workers=workers,
            executor=executor,
            address=address,
            read_signals=read_signals,
            robots_dir=robots_dir,
            item_seconds=item_timeout or None,
            on_done=on_done,
        )
    if as_json:
        print_json(summary.as_json())
    else:
        _print_summary(summary, out)


class _progress:
    """A Rich progress bar over shards (items and MB); silent when not on a terminal."""

    def __init__(self, *, quiet: bool) -> None:
        self.bar = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("shards · {task.fields[items]} items · {task.fields[mb]:.1f} MB"),
            TimeRemainingColumn(),
            console=console,
            disable=quiet or not console.is_terminal,
        )
        self.task = self.bar.add_task("scan", total=None, items=0, mb=0.0)

    def __enter__(self) -> _progress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def __call__(self, shard: Shard, items: int) -> None:
        fields = self.bar.tasks[0].fields
        self.bar.update(
            self.task, advance=1, items=fields["items"] + items, mb=fields["mb"] + shard.size / 1e6
        )


def _print_summary(summary: ScanSummary, out: Path) -> None:
    console.print(
        f"{summary.items} items: [green]{summary.included} included[/], "
        f"[red]{summary.excluded} excluded[/]  (regime {summary.params.regime}, "
        f"use {summary.params.use}, as of {summary.params.as_of})"
    )
    table = Table("reason", "items")
    for reason, count in sorted(summary.reasons.items(), key=lambda kv: -kv[1]):
        table.add_row(reason, str(count))
    console.print(table)
    if summary.excluded_works:
        top = ", ".join(f"{w} ({n})" for w, n in summary.excluded_works)
        console.print(f"registered works most often excluded: {top}")
        creators = ", ".join(f"{c} ({n})" for c, n in summary.excluded_creators)
        console.print(f"their creators most often excluded: {creators}")
        console.print(
            f"{summary.excluded_registered} excluded works are registered and could be requested"
        )
    console.print(f"outputs: {out}/manifest.jsonl, manifest.parquet, cleared/, summary.json")
    if summary.dataset_version:
        ds = summary.dataset_version
        console.print(
            f"recorded as dataset version [cyan]{ds}[/]; after training: "
            f"consentry models record-training MODEL --version V --dataset {ds}"
        )
