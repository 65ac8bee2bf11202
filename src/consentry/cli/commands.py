"""Every ``consentry`` command wired into one Typer app (see :mod:`consentry.cli.app`).

Importing this module imports every noun's module and, through them, the
registry, the scanners and the service: :mod:`consentry.cli.app` loads it
only when a command needs it, so that ``consentry verify`` starts quickly.
"""

from __future__ import annotations

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
from consentry.cli.app import new_app
from consentry.cli.common import console
from consentry.config import database_url

app = new_app()
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


@app.command("init")
def init(ctx: typer.Context) -> None:
    """Create the registry database, or bring it to the newest schema."""
    url = database_url(ctx.find_root().obj.db)
    ws_actions.init(url).close()
    console.print(f"registry ready at {url}")
