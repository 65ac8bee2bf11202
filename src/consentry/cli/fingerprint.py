"""``consentry fingerprint FILE...``: a work's fingerprints, for registering it unseen."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from consentry.actions.fingerprints import read_prints
from consentry.cli.common import err_console, print_json
from consentry.domain import WorkKind
from consentry.errors import ConsentryError, UnreadableContent


def fingerprint(
    paths: Annotated[
        list[Path], typer.Argument(help="Files to fingerprint.", exists=True, dir_okay=False)
    ],
    kind: Annotated[
        WorkKind | None, typer.Option(help="Their kind; sniffed from content if absent.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print each file's fingerprints: paste ``fingerprints`` into a works import row.

    Exits 2, naming each file's ``unreadable:<why>``, when a file could not be read.
    """
    results: list[dict[str, object]] = []
    failed: list[str] = []
    for path in paths:
        try:
            prints = read_prints(path, kind)
        except ConsentryError as exc:
            failed.append(f"{path}: {exc.message}")
            results.append({"path": str(path), "error": exc.message})
            continue
        fmt = prints.doc_format.value if prints.doc_format else None
        results.append(
            {
                "path": str(path),
                "kind": prints.kind.value,
                "format": fmt,
                "fingerprints": prints.as_import(),
            }
        )
    if as_json:
        print_json(results)
    else:
        _print_text(results)
    if failed:
        for line in failed:
            err_console.print(line, markup=False, highlight=False, soft_wrap=True)
        raise UnreadableContent(f"{len(failed)} of {len(paths)} files could not be fingerprinted")


def _print_text(results: list[dict[str, object]]) -> None:
    for result in results:
        prints = result.get("fingerprints")
        if not isinstance(prints, dict):
            continue
        typer.echo(f"{result['path']} ({result['kind']}, {result['format'] or 'binary'})")
        for key, value in prints.items():
            items = value.items() if isinstance(value, dict) else [(None, value)]
            for sub, text in items:
                label = f"{key}.{sub}" if sub else key
                shown = text if len(text) <= 72 else f"{text[:60]}... ({len(text)} chars)"
                typer.echo(f"  {label}: {shown}")
