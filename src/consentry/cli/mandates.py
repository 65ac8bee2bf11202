"""``consentry mandates``: give and revoke an agent's authority to answer for creators."""

from __future__ import annotations

from typing import Annotated

import typer

from consentry.actions import mandates as actions
from consentry.cli.common import console, workspace
from consentry.domain import Use

app = typer.Typer(
    help="Authority for a rightsholder or society to answer for creators.", no_args_is_help=True
)


@app.command("give")
def give(
    ctx: typer.Context,
    agent: Annotated[str, typer.Option("--agent", "-a", help="The rightsholder or society.")],
    creators: Annotated[list[str], typer.Option("--creator", "-c", help="A creator (repeat).")],
    uses: Annotated[list[Use], typer.Option("--use", "-u", help="A use (repeat).")],
) -> None:
    """Record a mandate; a creator's own answers always outweigh the agent's."""
    with workspace(ctx) as ws:
        mandate = actions.give_mandate(ws, agent, creators, uses)
    console.print(
        f"mandate [cyan]{mandate.id}[/]: {mandate.agent_id} may answer for "
        f"{len(mandate.creator_ids)} creator(s) on {', '.join(sorted(mandate.uses))}"
    )


@app.command("revoke")
def revoke(ctx: typer.Context, mandate: Annotated[str, typer.Argument()]) -> None:
    """Revoke a mandate from now on."""
    with workspace(ctx) as ws:
        revoked = actions.revoke_mandate(ws, mandate)
    console.print(f"revoked {revoked.id} at {revoked.revoked_at}")
