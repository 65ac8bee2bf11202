"""``consentry licences``: grant, list and revoke licences (minimal; requests come later)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import licences as actions
from consentry.actions.withdrawals import renew_licence
from consentry.cli.common import as_utc, console, print_json, workspace
from consentry.domain import Licence, Use
from consentry.fees import fee_terms_from_json

app = typer.Typer(help="Licences to developers.", no_args_is_help=True)


@app.command("grant")
def grant(
    ctx: typer.Context,
    developer: Annotated[str, typer.Option("--developer", "-d", help="The licensee.")],
    works: Annotated[list[str], typer.Option("--work", "-w", help="A work id (repeat).")],
    uses: Annotated[list[Use], typer.Option("--use", "-u", help="A use (repeat).")],
    granted_by: Annotated[
        list[str] | None,
        typer.Option("--granted-by", "-g", help="A party that agrees to it (repeat)."),
    ] = None,
    starts: Annotated[datetime | None, typer.Option(help="Start (UTC); default now.")] = None,
    ends: Annotated[datetime | None, typer.Option(help="End (UTC); default open.")] = None,
    models: Annotated[list[str] | None, typer.Option("--model", help="Only these models.")] = None,
    territories: Annotated[
        list[str] | None, typer.Option("--territory", help="Only these territories.")
    ] = None,
    fee_terms: Annotated[str | None, typer.Option(help="Fee terms as JSON.")] = None,
) -> None:
    """Record a licence to a developer for works and uses."""
    terms = fee_terms_from_json(fee_terms) if fee_terms else None
    with workspace(ctx) as ws:
        licence = actions.grant_licence(
            ws,
            developer,
            works,
            uses,
            starts_at=as_utc(starts),
            ends_at=as_utc(ends),
            models=models or (),
            territories=territories or (),
            fee_terms=terms,
            granted_by=granted_by or (),
        )
    console.print(f"granted licence [cyan]{licence.id}[/] for {len(licence.work_ids)} work(s)")


@app.command("list")
def list_(
    ctx: typer.Context,
    developer: Annotated[str | None, typer.Option("--developer", "-d")] = None,
    work: Annotated[str | None, typer.Option("--work", "-w")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List licences."""
    with workspace(ctx) as ws:
        licences = actions.list_licences(ws, developer_ref=developer, work_id=work)
    if as_json:
        print_json([_as_dict(lic) for lic in licences])
        return
    table = Table("id", "developer", "works", "uses", "from", "to", "status")
    for lic in licences:
        status = "revoked" if lic.revoked_at else "active"
        table.add_row(
            lic.id,
            lic.licensee_id,
            str(len(lic.work_ids)),
            ", ".join(sorted(lic.uses)),
            lic.starts_at.date().isoformat(),
            lic.ends_at.date().isoformat() if lic.ends_at else "open",
            status,
        )
    console.print(table)


@app.command("revoke")
def revoke(ctx: typer.Context, licence: Annotated[str, typer.Argument()]) -> None:
    """Revoke a licence from now on."""
    with workspace(ctx) as ws:
        revoked = actions.revoke_licence(ws, licence)
    console.print(f"revoked {revoked.id} at {revoked.revoked_at}")


@app.command("renew")
def renew(
    ctx: typer.Context,
    licence: Annotated[str, typer.Argument()],
    until: Annotated[datetime, typer.Option("--until", help="New end of the term (UTC).")],
    answer_by: Annotated[datetime | None, typer.Option(help="Answers taken until (UTC).")] = None,
) -> None:
    """Renew a licence: every party is asked again for the same works and terms."""
    end = until if until.tzinfo is not None else until.replace(tzinfo=UTC)
    with workspace(ctx) as ws:
        made = renew_licence(ws, licence, end, answer_by=as_utc(answer_by))
    console.print(f"sent renewal request [cyan]{made.request.id}[/] for {licence}")


def _as_dict(lic: Licence) -> dict[str, object]:
    return {
        "id": lic.id,
        "licensee_id": lic.licensee_id,
        "work_ids": sorted(lic.work_ids),
        "uses": sorted(lic.uses),
        "models": sorted(lic.models),
        "territories": sorted(lic.territories),
        "starts_at": lic.starts_at.isoformat(),
        "ends_at": lic.ends_at.isoformat() if lic.ends_at else None,
        "revoked_at": lic.revoked_at.isoformat() if lic.revoked_at else None,
        "grants": [
            {"work_id": g.work_id, "party_id": g.party_id, "granted_at": g.granted_at.isoformat()}
            for g in lic.grants
        ],
    }
