"""``consentry requests export|import|outbox``: ODRL 2.2 in and out, and the messages to parties."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from consentry.actions import answers, notify, odrl, requests
from consentry.cli.common import console, print_json, workspace
from consentry.errors import InvalidInput


def print_created(made: requests.CreatedRequest) -> None:
    """Say what was sent, and which works were left out and why."""
    request = made.request
    console.print(
        f"sent [cyan]{request.id}[/] ({request.origin}) for {len(request.work_ids)} work(s)"
    )
    for skip in made.skipped:
        console.print(f"  left out {skip.work_id}: {skip.why} by {skip.party_id}")


def print_result(result: answers.AnswerResult) -> None:
    """Each answered work's state, counters made, licences brought into force."""
    for status in result.works:
        console.print(f"{status.work_id}: {status.state}")
    for c in result.counters:
        console.print(f"counter [cyan]{c.id}[/] for {c.work_id}: {c.state}")
    for lic in result.licences:
        console.print(f"licence [green]{lic.id}[/] in force for {', '.join(sorted(lic.work_ids))}")


def export(
    ctx: typer.Context,
    ident: Annotated[str, typer.Argument(help="A request, counter (ctr_) or licence (lic_) id.")],
    out: Annotated[Path | None, typer.Option(help="Write here instead of stdout.")] = None,
) -> None:
    """Export as W3C ODRL 2.2 JSON-LD (Request, Offer or Agreement)."""
    with workspace(ctx) as ws:
        if ident.startswith("ctr_"):
            doc = odrl.export_counter(ws, ident)
        elif ident.startswith("lic_"):
            doc = odrl.export_licence(ws, ident)
        else:
            doc = odrl.export_request(ws, ident)
    if out is None:
        print_json(doc)
        return
    out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"wrote {out}")


def import_(ctx: typer.Context, file: Annotated[Path, typer.Argument(exists=True)]) -> None:
    """Import an ODRL Request (sent), counter Offer (recorded) or catalogue Offer (sent)."""
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{file} is not JSON: {exc}") from exc
    with workspace(ctx) as ws:
        result = odrl.import_policy(ws, doc)
    if isinstance(result, requests.CreatedRequest):
        print_created(result)
    else:
        print_result(result)


def outbox(
    ctx: typer.Context,
    unsent: Annotated[bool, typer.Option("--unsent", help="Only what is still queued.")] = False,
    send: Annotated[bool, typer.Option("--send", help="Deliver the queue by SMTP.")] = False,
    smtp_host: Annotated[str, typer.Option(envvar="CONSENTRY_SMTP_HOST")] = "localhost",
    smtp_port: Annotated[int, typer.Option(envvar="CONSENTRY_SMTP_PORT")] = 25,
    sender: Annotated[str, typer.Option("--from", envvar="CONSENTRY_SMTP_FROM")] = (
        "consentry@localhost"
    ),
    starttls: Annotated[bool, typer.Option(envvar="CONSENTRY_SMTP_STARTTLS")] = False,
    user: Annotated[str | None, typer.Option(envvar="CONSENTRY_SMTP_USER")] = None,
) -> None:
    """List messages to parties; --send delivers them (password: $CONSENTRY_SMTP_PASSWORD)."""
    with workspace(ctx) as ws:
        if send:
            smtp = notify.SmtpSender(
                smtp_host,
                smtp_port,
                sender,
                starttls,
                user,
                os.environ.get("CONSENTRY_SMTP_PASSWORD"),
            )
            done = notify.deliver(ws, smtp)
            console.print(f"sent {len(done.sent)}, failed {len(done.failed)}")
            for ident, why in done.failed.items():
                console.print(f"  {ident}: {why}", markup=False)
            return
        messages = notify.outbox(ws, unsent=unsent)
    table = Table("id", "to", "topic", "request", "sent")
    for m in messages:
        table.add_row(
            m.id,
            m.recipient_id,
            m.topic,
            m.request_id or "",
            m.sent_at.isoformat() if m.sent_at else "",
        )
    console.print(table)
