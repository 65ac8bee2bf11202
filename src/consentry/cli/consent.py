"""``consentry consent``: record a party's answer and see a work's effective consent."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import consent as actions
from consentry.cli.common import as_utc, console, print_json, workspace
from consentry.domain import ConsentState, Use

app = typer.Typer(help="Each party's consent, per work and use.", no_args_is_help=True)

STATE_STYLE = {"granted": "green", "withheld": "red", "ask": "yellow"}


@app.command("set")
def set_(
    ctx: typer.Context,
    work: Annotated[str, typer.Argument(help="The work's id.")],
    state: Annotated[ConsentState, typer.Argument(help="granted, withheld or ask.")],
    party: Annotated[
        str, typer.Option("--party", "-p", help="Whose consent: id, ISNI, IPI or name.")
    ],
    use: Annotated[
        Use, typer.Option("--use", "-u", help="The use it applies to.")
    ] = Use.AI_TRAINING,
    mandate: Annotated[
        str | None, typer.Option(help="Record it on this mandate's authority.")
    ] = None,
    evidence: Annotated[str | None, typer.Option(help="Where the answer came from.")] = None,
    expires: Annotated[datetime | None, typer.Option(help="When it lapses (UTC).")] = None,
    expect_version: Annotated[
        int | None, typer.Option(help="Fail if the work's consent changed since this version.")
    ] = None,
) -> None:
    """Record a party's consent for a use of one work."""
    with workspace(ctx) as ws:
        version = actions.set_consent(
            ws,
            work,
            party,
            use,
            state,
            mandate_id=mandate,
            evidence=evidence,
            expires_at=as_utc(expires),
            expected_version=expect_version,
        )
    console.print(f"recorded {state} for {use} on {work} (consent version {version})")


@app.command("show")
def show(
    ctx: typer.Context,
    work: Annotated[str, typer.Argument(help="The work's id.")],
    developer: Annotated[
        str | None, typer.Option("--developer", "-d", help="For this developer.")
    ] = None,
    use: Annotated[Use, typer.Option("--use", "-u")] = Use.AI_TRAINING,
    model: Annotated[str | None, typer.Option(help="For this model.")] = None,
    territory: Annotated[str | None, typer.Option(help="For this territory (ISO 3166).")] = None,
    at: Annotated[datetime | None, typer.Option("--as-of", help="As of this date (UTC).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each party's standing on a work and the decision, with its reason."""
    with workspace(ctx) as ws:
        report = actions.consent_report(
            ws,
            work,
            developer_ref=developer,
            use=use,
            at=as_utc(at),
            model=model,
            territory=territory,
        )
    decision = report.decision
    if as_json:
        print_json(
            {
                "work_id": report.work.id,
                "use": report.use,
                "as_of": report.at.isoformat(),
                "developer_id": report.developer.id if report.developer else None,
                "decision": "include" if decision.include else "exclude",
                "reason": decision.code,
                "explanation": decision.explain(),
                "parties": [
                    {"party_id": s.party_id, "group": s.group, "state": s.state}
                    for s in decision.parties
                ],
            }
        )
        return
    table = Table(
        "party", "name", "as", "state", title=f"{report.work.title} ({report.work.id}) — {use}"
    )
    for standing in decision.parties:
        name = report.parties[standing.party_id].name
        style = STATE_STYLE[standing.state]
        table.add_row(standing.party_id, name, standing.group, f"[{style}]{standing.state}[/]")
    console.print(table)
    verdict = "[green]include[/]" if decision.include else "[red]exclude[/]"
    who = report.developer.name if report.developer else "no developer (no licence can apply)"
    console.print(f"for {who}: {verdict} — {decision.code}: {decision.explain()}")
