"""``consentry match FILE...``: which registered works each file holds, and how."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions.match import FileMatches, match_files
from consentry.cli.common import console, print_json, workspace


def match(
    ctx: typer.Context,
    paths: Annotated[
        list[Path], typer.Argument(help="Files to search.", exists=True, dir_okay=False)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find registered works in files: exact copies, near copies and excerpts.

    Exits 1 when a file could not be searched (unreadable, too short), so that a
    script never reads "nothing found" where nothing was looked for.
    """
    with workspace(ctx) as ws:
        found = match_files(ws, paths)
    if as_json:
        print_json([_as_dict(f) for f in found])
    else:
        _print_table(found)
    if any(not f.result.searched for f in found):
        raise typer.Exit(1)


def _as_dict(found: FileMatches) -> dict[str, object]:
    return {
        "path": str(found.path),
        "kind": found.kind.value if found.kind else None,
        "refused": found.result.refused,
        "matches": [
            {
                "work_id": m.work_id,
                "title": found.titles.get(m.work_id),
                "kind": m.kind.value,
                "score": round(m.score, 4),
                "evidence": dict(m.evidence),
            }
            for m in found.result.matches
        ],
    }


def _print_table(found: list[FileMatches]) -> None:
    table = Table("file", "work", "title", "match", "score")
    for f in found:
        if not f.result.searched:
            table.add_row(str(f.path), "-", f"[yellow]{f.result.refused}[/]", "-", "-")
        elif not f.result.matches:
            table.add_row(str(f.path), "-", "[dim]no registered work[/]", "-", "-")
        for m in f.result.matches:
            title = f.titles.get(m.work_id, "")
            table.add_row(str(f.path), m.work_id, title, m.kind.value, f"{m.score:.3f}")
    console.print(table)
