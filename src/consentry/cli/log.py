"""``consentry log``: the evidence log — entries, checkpoints, receipts, verification, key."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import log as actions
from consentry.cli.common import console, err_console, print_json, workspace

app = typer.Typer(help="The evidence log: every change, verifiable.", no_args_is_help=True)


@app.command("show")
def show(
    ctx: typer.Context,
    start: Annotated[int, typer.Option(help="First entry.")] = 0,
    limit: Annotated[int, typer.Option(help="How many.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List log entries: position, type, time and the canonical entry."""
    with workspace(ctx) as ws:
        found = actions.entries(ws, start, limit)
    if as_json:
        rows = [
            {"position": e.position, "entry": e.body.decode(), "leaf_hash": e.leaf_hash.hex()}
            for e in found
        ]
        print_json(rows)
        return
    table = Table("#", "type", "recorded", "entry")
    for e in found:
        table.add_row(str(e.position), e.type, e.recorded_at.isoformat(), e.body.decode())
    console.print(table)


@app.command("checkpoint")
def checkpoint(ctx: typer.Context) -> None:
    """Sign the current tree head (C2SP tlog-checkpoint) and print the signed note."""
    with workspace(ctx) as ws:
        note = actions.checkpoint(ws)
    typer.echo(note, nl=False)


@app.command("prove")
def prove(
    ctx: typer.Context,
    entry: Annotated[int, typer.Argument(help="The entry's position.")],
    out: Annotated[Path | None, typer.Option(help="Write the receipt here.")] = None,
) -> None:
    """Print an offline receipt (C2SP tlog-proof) that the entry is in the signed log."""
    with workspace(ctx) as ws:
        receipt = actions.prove(ws, entry)
    if out is None:
        typer.echo(receipt.text(), nl=False)
    else:
        out.write_text(receipt.text(), encoding="utf-8")
        console.print(f"receipt for entry {entry} written to {out}")


@app.command("key")
def key(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option(help="Write the key to this file instead of printing it.")
    ] = None,
) -> None:
    """Print the log's public verifier key (C2SP vkey), for anyone checking receipts."""
    with workspace(ctx) as ws:
        vkey = actions.public_key(ws)
    if out is None:
        typer.echo(vkey)
    else:
        out.write_text(vkey + "\n", encoding="utf-8")


@app.command("verify")
def verify(
    ctx: typer.Context,
    since: Annotated[
        Path | None, typer.Option(help="A signed checkpoint you kept: the log must still hold it.")
    ] = None,
) -> None:
    """Recompute the whole tree; check every entry, checkpoint and their consistency.

    Exits 1 naming the first entry that cannot be trusted when anything is wrong.
    """
    with workspace(ctx) as ws:
        report = actions.verify(ws, since.read_text(encoding="utf-8") if since else None)
    if report.ok:
        console.print(
            f"log verified: {report.size} entries, {report.checkpoints} checkpoint(s) consistent"
        )
        return
    for problem in report.problems:
        err_console.print(f"[red]✗[/] {problem}", highlight=False)
    err_console.print(f"first entry that cannot be trusted: {report.first_bad}")
    raise typer.Exit(1)
