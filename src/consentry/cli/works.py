"""``consentry works``: register works one by one or in bulk, and look them up."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from consentry.actions import parties as party_actions
from consentry.actions import works as actions
from consentry.cli.common import console, err_console, print_json, workspace
from consentry.domain import Work, WorkKind
from consentry.errors import InvalidInput

app = typer.Typer(help="Registered works.", no_args_is_help=True)


def parse_party_spec(spec: str, *, creator: bool) -> dict[str, Any]:
    """``NAME[:role[:share]]`` for a creator, ``NAME[:share[:territory]]`` for a rightsholder."""
    name, *rest = spec.split(":")
    if not name.strip() or len(rest) > 2:
        form = "NAME[:role[:share]]" if creator else "NAME[:share[:territory]]"
        raise InvalidInput(f"cannot read {spec!r}", hint=f"write it as {form}")
    party: dict[str, Any] = {"name": name.strip()}
    keys = ("role", "share") if creator else ("share", "territory")
    party.update({k: v for k, v in zip(keys, rest, strict=False) if v})
    return party


@app.command("add")
def add(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The work's file.", exists=True, dir_okay=False)],
    title: Annotated[str, typer.Option("--title", "-t")],
    creators: Annotated[
        list[str] | None, typer.Option("--creator", "-c", help="NAME[:role[:share]] (repeat).")
    ] = None,
    rightsholders: Annotated[
        list[str] | None,
        typer.Option("--rightsholder", "-r", help="NAME[:share[:territory]] (repeat)."),
    ] = None,
    kind: Annotated[WorkKind | None, typer.Option(help="Sniffed from content if absent.")] = None,
    work_id: Annotated[str | None, typer.Option("--id", help="Your own id for it.")] = None,
    isbn: Annotated[str | None, typer.Option(help="ISBN (check digit verified).")] = None,
    doi: Annotated[str | None, typer.Option(help="DOI.")] = None,
    url: Annotated[str | None, typer.Option(help="Where it is published.")] = None,
) -> None:
    """Register one work from its file. Unknown names become new parties."""
    identifiers = {k: v for k, v in {"isbn": isbn, "doi": doi, "url": url}.items() if v}
    with workspace(ctx) as ws:
        work = actions.add_work(
            ws,
            file,
            title=title,
            kind=kind,
            work_id=work_id,
            identifiers=identifiers,
            creators=[parse_party_spec(s, creator=True) for s in creators or []],
            rightsholders=[parse_party_spec(s, creator=False) for s in rightsholders or []],
        )
    console.print(f"registered {work.kind} [bold]{work.title}[/] as [cyan]{work.id}[/]")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A .jsonl or .csv file; see docs/works-import.md.")],
) -> None:
    """Import a catalogue: every row is checked first, and a bad row imports nothing."""
    with workspace(ctx) as ws, import_progress() as progress:
        report = actions.import_works(ws, file, progress=progress)
    for warning in report.warnings:
        err_console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    console.print(
        f"imported {len(report.works):,} works, {report.parties_created:,} new parties, "
        f"{report.consents_recorded:,} consent records"
    )


STAGES = {"check": "checking every row", "resolve": "matching parties", "write": "writing"}


@contextmanager
def import_progress() -> Iterator[actions.Progress]:
    """A Rich progress bar (on stderr) driven by the import's stages."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task(STAGES["check"], total=None)

        def update(stage: str, done: int, total: int) -> None:
            bar.update(task, description=STAGES[stage], completed=done, total=total or None)

        yield update


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[WorkKind | None, typer.Option("--kind", "-k")] = None,
    party: Annotated[str | None, typer.Option("--party", "-p", help="Works of this party.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Title contains.")] = None,
    limit: Annotated[int | None, typer.Option(help="At most this many.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List works, filtered by kind, party or title."""
    with workspace(ctx) as ws:
        party_id = party_actions.get_party(ws, party).id if party else None
        works = actions.list_works(
            ws, kind=kind, party_id=party_id, title_contains=title, limit=limit
        )
    if as_json:
        print_json([work_json(w) for w in works])
        return
    table = Table("id", "title", "kind", "creators", "rightsholders", title=f"{len(works)} works")
    for w in works:
        table.add_row(
            w.id, w.title, w.kind, ", ".join(w.creator_ids), ", ".join(w.rightsholder_ids)
        )
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    work_id: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one work: parties, shares, identifiers, fingerprints."""
    with workspace(ctx) as ws:
        work = actions.get_work(ws, work_id)
    data = work_json(work)
    if as_json:
        print_json(data)
        return
    for key, value in data.items():
        console.print(f"[bold]{key:>13}[/]  {value}", highlight=False)


def work_json(work: Work) -> dict[str, Any]:
    """A work as plain JSON-ready data (decimals as strings)."""
    split = work.effective_split
    return {
        "id": work.id,
        "title": work.title,
        "kind": work.kind.value,
        "creators": [
            {
                "party_id": c.party_id,
                "role": c.role.value,
                "share": None if c.share is None else str(c.share),
            }
            for c in work.contributions
        ],
        "rightsholders": [
            {
                "party_id": r.party_id,
                "territory": r.territory,
                "share": None if r.share is None else str(r.share),
            }
            for r in work.rights
        ],
        "split": {"creators": str(split.creators), "rightsholders": str(split.rightsholders)},
        "identifiers": {k: list(v) for k, v in work.identifiers.items()},
        "fingerprints": {
            k: v
            for k, v in (
                ("sha256", work.fingerprints.sha256),
                ("content_sha256", work.fingerprints.content_sha256),
                ("norm", work.fingerprints.norm),
            )
            if v
        },
    }
