"""``consentry demo``: the whole main job on the embedded default, with sample works."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions.demo import run_demo
from consentry.cli.common import console


def demo(
    directory: Annotated[
        Path, typer.Option("--dir", help="Where to write; replaced if a previous demo made it.")
    ] = Path("consentry-demo"),
) -> None:
    """Build a registry from sample works and show each work's effective consent."""
    with console.status("building the demo registry…"):
        ctx = run_demo(directory)
    table = Table(
        "work",
        "title",
        "kind",
        "decision",
        "reason",
        title="Effective consent for Northwind AI, use ai_training, today",
    )
    for report in ctx.reports:
        d = report.decision
        verdict = "[green]include[/]" if d.include else "[red]exclude[/]"
        table.add_row(report.work.id, report.work.title, report.work.kind, verdict, d.code)
    console.print(table)
    for report in ctx.reports:
        console.print(f"  [bold]{report.work.id}[/]: {report.decision.explain()}")
    _print_scan(ctx.paths.get("manifest"))
    console.print("\nwritten:")
    for name, path in ctx.paths.items():
        console.print(f"  {name:>9}  {path}")
    console.print(f"\ntry: consentry --db sqlite:///{ctx.paths['registry']} works list")


def _print_scan(manifest: Path | None) -> None:
    """The sample corpus's manifest as a table: each item, its decision and why."""
    if manifest is None:
        return
    table = Table("item", "decision", "reasons", "work", "match", title="Scan of the sample corpus")
    for line in manifest.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        verdict = "[green]include[/]" if row["decision"] == "include" else "[red]exclude[/]"
        reasons = ", ".join(row["reasons"])
        table.add_row(row["item_id"], verdict, reasons, row["work_id"] or "", row["match"] or "")
    console.print()
    console.print(table)
