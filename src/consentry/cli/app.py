"""The ``consentry`` command: a thin shell over :mod:`consentry.actions`.

Each noun is its own module; this one wires them together, holds the global
``--db`` option and turns every :class:`ConsentryError` into a one-line
message and an exit code, never a traceback.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from consentry.actions import workspace as ws_actions
from consentry.cli import (
    complaints,
    consent,
    demo,
    fingerprint,
    ledger,
    licences,
    log,
    mandates,
    match,
    models,
    parties,
    remove,
    report,
    requests,
    scan,
    serve,
    signals,
    verify,
    works,
)
from consentry.cli.common import Settings, console, err_console
from consentry.config import database_url
from consentry.errors import ConsentryError, ImportRejected

app = typer.Typer(
    name="consentry",
    help="Consent-first rights clearance for AI training data.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(parties.app, name="parties")
app.add_typer(works.app, name="works")
app.add_typer(consent.app, name="consent")
app.add_typer(licences.app, name="licences")
app.add_typer(mandates.app, name="mandates")
app.add_typer(requests.app, name="requests")
app.add_typer(log.app, name="log")
app.add_typer(models.app, name="models")
app.add_typer(models.datasets, name="datasets")
app.add_typer(complaints.app, name="complaints")
app.add_typer(ledger.app, name="ledger")
app.command("statements")(ledger.statements)
app.command("credits")(ledger.credits)
app.command("demo")(demo.demo)
app.command("match")(match.match)
app.command("scan")(scan.scan)
app.command("signals")(signals.signals)
app.command("fingerprint")(fingerprint.fingerprint)
app.command("serve")(serve.serve)
app.add_typer(serve.accounts, name="accounts")
app.command("remove")(remove.remove)
app.command("verify")(verify.verify)
app.command("report")(report.report)


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Registry database URL (default: $CONSENTRY_DATABASE_URL or ./consentry.db).",
        ),
    ] = None,
) -> None:
    """Consent-first rights clearance for AI training data."""
    ctx.obj = Settings(db=db)


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Create the registry database, or bring it to the newest schema."""
    url = database_url(ctx.find_root().obj.db)
    ws_actions.init(url).close()
    console.print(f"registry ready at {url}")


def report_error(exc: ConsentryError) -> None:
    """Print what went wrong (every bad row, for a rejected import) and what to do next."""
    err_console.print("[bold red]error:[/] ", end="")
    err_console.print(exc.message, markup=False, highlight=False)
    if isinstance(exc, ImportRejected):
        for problem in exc.errors:
            err_console.print(f"  {problem}", markup=False, highlight=False)
    if exc.hint:
        err_console.print("[dim]hint:[/] ", end="")
        err_console.print(exc.hint, markup=False, highlight=False)


def main() -> None:
    """Console-script entry point: user errors exit with a message, never a traceback."""
    try:
        app()
    except ConsentryError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
