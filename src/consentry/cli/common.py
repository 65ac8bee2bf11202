"""What every command shares: the database option, the consoles, output helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console

if TYPE_CHECKING:  # the registry's code loads only for a command that opens it
    from consentry.actions.workspace import Workspace

console = Console()
err_console = Console(stderr=True)


@dataclass
class Settings:
    """Options given before the command: ``consentry --db URL works list``."""

    db: str | None = None


def settings(ctx: typer.Context) -> Settings:
    """The global options of this invocation."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings()


@contextmanager
def workspace(ctx: typer.Context) -> Iterator[Workspace]:
    """Open the registry named by ``--db`` or the environment, and close it after."""
    from consentry.actions.workspace import open_workspace

    ws = open_workspace(settings(ctx).db)
    try:
        yield ws
    finally:
        ws.close()


def print_json(data: Any) -> None:
    """Machine-readable output: JSON on stdout, nothing else."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def as_utc(value: datetime | None) -> datetime | None:
    """Dates typed without a zone are read as UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)
