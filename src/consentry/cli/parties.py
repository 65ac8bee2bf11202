"""``consentry parties``: register and look up creators, rightsholders, developers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import parties as actions
from consentry.cli.common import console, print_json, workspace
from consentry.domain import PartyKind

app = typer.Typer(help="Creators, rightsholders and developers.", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The party's name as it is credited.")],
    kind: Annotated[
        PartyKind, typer.Option("--kind", "-k", help="creator, rightsholder or developer.")
    ],
    party_id: Annotated[str | None, typer.Option("--id", help="Your own id for it.")] = None,
    isni: Annotated[str | None, typer.Option(help="ISNI (check digit verified).")] = None,
    ipi: Annotated[str | None, typer.Option(help="IPI name number.")] = None,
    orcid: Annotated[str | None, typer.Option(help="ORCID iD (check digit verified).")] = None,
    email: Annotated[str | None, typer.Option(help="Contact email.")] = None,
) -> None:
    """Register a party."""
    with workspace(ctx) as ws:
        party = actions.add_party(
            ws, name, kind, party_id=party_id, isni=isni, ipi=ipi, orcid=orcid, email=email
        )
    console.print(f"added {party.kind} [bold]{party.name}[/] as [cyan]{party.id}[/]")


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[PartyKind | None, typer.Option("--kind", "-k")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List parties."""
    with workspace(ctx) as ws:
        parties = actions.list_parties(ws, kind)
    if as_json:
        print_json([asdict(p) for p in parties])
        return
    table = Table("id", "name", "kind", "ISNI", "IPI", "ORCID", title=f"{len(parties)} parties")
    for p in parties:
        table.add_row(p.id, p.name, p.kind, p.isni or "", p.ipi or "", p.orcid or "")
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context,
    ref: Annotated[str, typer.Argument(help="Id, ISNI, IPI or exact name.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one party."""
    with workspace(ctx) as ws:
        party = actions.get_party(ws, ref)
    if as_json:
        print_json(asdict(party))
        return
    for key, value in asdict(party).items():
        console.print(f"[bold]{key:>6}[/]  {value if value is not None else '-'}")
