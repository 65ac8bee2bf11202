"""``consentry serve`` runs the web service (API and portal); ``accounts create-admin``."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer

from consentry.actions import accounts as account_actions
from consentry.actions import workspace as ws_actions
from consentry.cli.common import console, settings, workspace
from consentry.config import database_url

accounts = typer.Typer(help="Service accounts; make administrators here.", no_args_is_help=True)


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
    db: Annotated[
        str | None, typer.Option("--db", help="Registry database URL (overrides the global --db).")
    ] = None,
    init: Annotated[
        bool, typer.Option("--init", help="Create or migrate the registry first.")
    ] = False,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies",
            help="Send cookies over plain HTTP (development on loopback only).",
        ),
    ] = False,
) -> None:
    """Serve the JSON API (/api/v1) and the portal; one process, background jobs inside it."""
    import uvicorn

    from consentry.service.app import create_app
    from consentry.service.settings import ServiceSettings

    url = database_url(db or settings(ctx).db)
    if init:
        ws_actions.init(url).close()
    config = ServiceSettings.from_env()
    if insecure_cookies:
        config = ServiceSettings(**{**config.__dict__, "secure_cookies": False})
    app = create_app(url, settings=config)
    console.print(f"consentry serving {url} on http://{host}:{port} (API docs: /api/v1/docs)")
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False, workers=1)


@accounts.command("create-admin")
def create_admin(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The administrator's email.")],
) -> None:
    """Create an administrator account (asks for the password; never on the command line)."""
    password = getpass.getpass("password: ")
    if password != getpass.getpass("again: "):
        raise typer.BadParameter("the passwords differ")
    with workspace(ctx) as ws:
        account = account_actions.signup(ws, email, password, "administrator", "")
    console.print(f"administrator {account.id} created")
