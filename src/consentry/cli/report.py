"""``consentry report``: a model version's report in every format, its hash in the log."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from consentry.actions import report as actions
from consentry.cli.common import console, print_json, workspace


def report(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The model's name.")],
    version: Annotated[str, typer.Option("--version", help="The model version.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.")],
    scan: Annotated[
        list[Path] | None,
        typer.Option(
            "--scan", help="A scan's --out folder holding a dataset version's manifest (repeat)."
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers", help="TOML file with the answers consentry cannot know (docs/reports.md)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Write the model report (HTML, JSON, EU summary, SPDX 3, CycloneDX, Croissant)."""
    with workspace(ctx) as ws:
        written = actions.write_report(
            ws, name, version, out, scans=scan or [], answers_file=answers
        )
    if as_json:
        print_json(
            {
                "report_sha256": written.report_sha256,
                "log_position": written.log_position,
                "files": {k: str(v) for k, v in written.files.items()},
            }
        )
        return
    console.print(f"report of [cyan]{name}[/] {version} in {written.out_dir}")
    for role, path in written.files.items():
        console.print(f"  {role:28} {path}", markup=False, highlight=False)
    console.print(
        f"report sha256 {written.report_sha256}, log entry {written.log_position}",
        markup=False,
        highlight=False,
    )
