"""``consentry signals ITEM``: every reservation signal read for one file or record."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.cli.common import console, print_json
from consentry.signals.inspect import item_signals


def signals(
    item: Annotated[str, typer.Argument(help="A file, or CORPUS#ITEM_ID as in a manifest.")],
    robots_dir: Annotated[
        Path | None, typer.Option(help="Captured robots.txt files, one per host (<host>.txt).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show what a scan reads for one item: each signal, where it was found, what it reserves."""
    found, read = item_signals(item, robots_dir)
    if as_json:
        print_json(
            {
                "item_id": found.item_id,
                "source": found.source,
                "signals": [s.as_json() for s in read],
            }
        )
        return
    console.print(f"[bold]{found.item_id}[/] ({found.source or 'no source URL'})")
    if not read:
        console.print("no reservation or permission signal found")
        return
    table = Table("standard", "where", "value", "reserves", "allows", "status")
    for s in read:
        table.add_row(
            s.standard,
            s.where,
            s.value or "",
            ", ".join(sorted(u.value for u in s.reserved)) or "-",
            ", ".join(sorted(u.value for u in s.allowed)) or "-",
            s.status if not s.note else f"{s.status}: {s.note}",
        )
    console.print(table)
