"""``consentry ledger``, ``statements`` and ``credits``: usage, money and attribution."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import complaint_remedies
from consentry.actions import ledger as actions
from consentry.cli.common import console, print_json, workspace
from consentry.errors import InvalidInput
from consentry.ledger.money import format_amount
from consentry.ledger.render import statement_csv, statement_html

app = typer.Typer(help="The usage ledger: uses, revenue, payments.", no_args_is_help=True)

Version = Annotated[str, typer.Option("--version", help="The model version.")]
ModelName = Annotated[str, typer.Argument(help="The model's name.")]


@app.command("usage")
def usage(
    ctx: typer.Context,
    name: ModelName,
    version: Version,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each work a model version was trained on: items, bytes, tokens, seconds, images."""
    with workspace(ctx) as ws:
        model = actions.find_model(ws, name, version)
        found = actions.work_usage(ws, model.id)
    if as_json:
        print_json([asdict(u) | {"seconds": str(u.seconds)} for u in found])
        return
    table = Table("work", "items", "bytes", "tokens", "seconds", "images", "licence")
    for u in found:
        licence = "past use" if u.past_use else (u.licence_id or "-")
        row = (u.work_id, u.items, u.bytes, u.tokens, u.seconds, u.images, licence)
        table.add_row(*map(str, row))
    console.print(table)


@app.command("inference")
def inference(
    ctx: typer.Context,
    name: ModelName,
    version: Version,
    works: Annotated[list[str], typer.Argument(help="The works one answer used.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Record that an answer used these works; print their attribution."""
    with workspace(ctx) as ws:
        model = actions.find_model(ws, name, version)
        credits = actions.record_inference_use(ws, model.id, works)
    if as_json:
        print_json([{"work_id": c.work_id, "credit": c.text} for c in credits])
        return
    for c in credits:
        console.print(c.text, markup=False, highlight=False)


@app.command("revenue")
def revenue(
    ctx: typer.Context,
    name: ModelName,
    period: Annotated[str, typer.Option(help="The period, e.g. 2026-Q4.")],
    amount: Annotated[str, typer.Option(help="The revenue, e.g. 125000.00.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. GBP.")],
) -> None:
    """Report a model's revenue for a period (the basis of revenue-share fees); once."""
    with workspace(ctx) as ws:
        done = actions.report_revenue(ws, name, period, amount, currency)
    console.print(f"revenue {done.amount} {done.currency} for {name} in {done.period} ({done.id})")


@app.command("pay")
def pay(
    ctx: typer.Context,
    statement: Annotated[str, typer.Argument(help="The statement paid.")],
    amount: Annotated[str, typer.Option(help="The amount paid, in the statement's currency.")],
    paid_on: Annotated[str, typer.Option("--date", help="The payment date (YYYY-MM-DD).")],
    reference: Annotated[str, typer.Option(help="The payment's reference.")],
) -> None:
    """Record a payment against a statement."""
    try:
        day = date.fromisoformat(paid_on)
    except ValueError:
        raise InvalidInput(f"--date {paid_on!r} is not a date (YYYY-MM-DD)") from None
    with workspace(ctx) as ws:
        done = actions.record_payment(ws, statement, amount, day, reference)
    console.print(f"payment {done.id}: {format_amount(done.amount_minor, done.currency)}")


@app.command("balances")
def balances(
    ctx: typer.Context,
    party: Annotated[str | None, typer.Option(help="Only this party (id or name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What each party was stated, was paid and is owed, per currency."""
    with workspace(ctx) as ws:
        found = actions.balances(ws, party)
    rows = [
        {
            "party": b.party_id,
            "currency": b.currency,
            "stated": format_amount(b.stated_minor, b.currency),
            "paid": format_amount(b.paid_minor, b.currency),
            "owed": format_amount(b.owed_minor, b.currency),
        }
        for b in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("party", "currency", "stated", "paid", "owed")
    for r in rows:
        table.add_row(*r.values())
    console.print(table)


@app.command("settlements")
def settlements(
    ctx: typer.Context,
    party: Annotated[str | None, typer.Option(help="Only this party's parts (id or name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Past-use liabilities settled by complaints (remedy pay), split among the work's parties."""
    with workspace(ctx) as ws:
        found = complaint_remedies.settlements(ws, party)
    rows = [
        {
            "complaint": d.complaint_id,
            "step": d.step,
            "party": d.party_id,
            "currency": d.currency,
            "amount": format_amount(d.amount_minor, d.currency),
            "settled_at": d.settled_at.isoformat(),
        }
        for d in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("complaint", "step", "party", "currency", "amount", "settled at")
    for r in rows:
        table.add_row(*r.values())
    console.print(table)


def statements(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(help="A quarter (2026-Q4), month or year.")],
    party: Annotated[str | None, typer.Option(help="Only this party (id or name).")] = None,
    output: Annotated[str, typer.Option("--format", help="csv, json or html.")] = "json",
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Issue the period's statements (closing it) and print or write them."""
    if output not in ("csv", "json", "html"):
        raise InvalidInput(f"--format {output!r}: use csv, json or html")
    with workspace(ctx) as ws:
        issued = actions.issue_statements(ws, period, party)
    bodies = actions.statement_bodies(issued)
    if output == "json":
        text = json.dumps(bodies, indent=2, ensure_ascii=False) + "\n"
    else:
        text = statement_csv(bodies) if output == "csv" else statement_html(bodies)
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"{len(bodies)} statements for {period} written to {out}")


def credits(
    ctx: typer.Context,
    name: ModelName,
    version: Version,
    out: Annotated[Path, typer.Option(help="The folder to write CREDITS, JSON and HTML into.")],
) -> None:
    """Write the credits of every creator of every work a model version used."""
    with workspace(ctx) as ws:
        paths = actions.write_credits(ws, name, version, out)
    for path in paths.values():
        console.print(str(path))


__all__ = ["app", "credits", "statements"]
