"""``consentry demo``: the whole main job on the embedded default, with sample works."""

from __future__ import annotations

import json
import os
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
    serve: Annotated[
        bool,
        typer.Option("--serve", help="Then start the portal on the demo registry (demo sign-ins)."),
    ] = False,
    port: Annotated[int, typer.Option(help="The portal's port with --serve.")] = 8000,
) -> None:
    """Run the main job on sample works: registry, scan, requests, money, removal, report.

    Prints each work's effective consent, the scan's decisions and every file written.
    """
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
    _print_written(ctx.paths)
    console.print(f"\ntry: consentry --db sqlite:///{ctx.paths['registry']} works list")
    if serve:
        from consentry.cli.demo_serve import serve_demo

        serve_demo(ctx, port=port)


def _print_written(paths: dict[str, Path]) -> None:
    """Every file the demo wrote, by what it is; a step's many files as their folder."""
    here = Path.cwd()
    rows: dict[str, str] = {}
    files: dict[str, list[Path]] = {}
    for name, path in paths.items():
        group, sep, _ = name.partition(":")
        if sep:
            files.setdefault(group, []).append(path)
        else:
            rows[name] = _shown(path, here)
    for group, members in files.items():
        folder = Path(os.path.commonpath(members))
        folder = folder if folder.is_dir() else folder.parent
        rows[group] = f"{_shown(folder, here)}/ ({len(members)} files)"
    table = Table(title="Written", box=None, title_justify="left")
    table.add_column("what", no_wrap=True)
    table.add_column("where", overflow="fold")
    for name, where in rows.items():
        table.add_row(name, where)
    console.print()
    console.print(table)


def _shown(path: Path, here: Path) -> str:
    return str(path.relative_to(here) if path.is_relative_to(here) else path)


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
