"""The ``consentry`` command: a thin shell over :mod:`consentry.actions`.

Each noun is its own module and :mod:`consentry.cli.commands` wires them
together; this one holds the global ``--db`` option and turns every
:class:`ConsentryError` into a one-line message and an exit code, never a
traceback. It imports the commands only when it runs them: ``consentry
verify`` (the creator's offline check) loads just what the check needs, not
the registry, scanners and service that the other commands pull in.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from consentry.cli.common import Settings, err_console
from consentry.errors import ConsentryError, ImportRejected

HELP = "Consent-first rights clearance for AI training data."


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


def new_app() -> typer.Typer:
    """An empty ``consentry`` app with the global options, for commands to be added to."""
    shell = typer.Typer(
        name="consentry", help=HELP, no_args_is_help=True, pretty_exceptions_enable=False
    )
    shell.callback()(root)
    return shell


def __getattr__(name: str) -> typer.Typer:
    """``app``: the app with every command (PEP 562: built on first use, then kept)."""
    if name == "app":
        from consentry.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def command_named(args: Sequence[str]) -> str | None:
    """The command that ``args`` (the words after ``consentry``) run, past ``--db URL``;
    None where they start with any other option (``--help``) or name nothing."""
    words = iter(args)
    for word in words:
        if word == "--db":
            next(words, None)
        elif not word.startswith("--db="):
            return None if word.startswith("-") else word
    return None


def app_for(args: Sequence[str]) -> typer.Typer:
    """The app to run ``args`` with: ``verify`` alone for ``consentry verify``, else ``app``."""
    if command_named(args) == "verify":
        from consentry.cli import verify

        light = new_app()
        light.command("verify")(verify.verify)
        return light
    from consentry.cli.commands import app

    return app


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
        app_for(sys.argv[1:])()
    except ConsentryError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
