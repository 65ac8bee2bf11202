"""``consentry verify CERT``: the creator's offline check of a removal certificate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from consentry.actions.verify_certificate import verify_file
from consentry.cli.common import console, print_json


def verify(
    certificate: Annotated[Path, typer.Argument(help="The removal certificate (JSON).")],
    work: Annotated[
        Path | None, typer.Option(help="Your own file: are its hashes among those proven absent?")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="The log's verifier key (as `consentry log key` prints it), or a file holding it."
        ),
    ] = None,
    hashes: Annotated[
        Path | None,
        typer.Option(
            help="The new version's published included-hashes.bin: is it sorted, with this root?"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check a removal certificate offline; say what was proven and what was not.

    Needs no database: only the certificate, your file, the log's public key
    and the published hash list. Exits 1 when any check fails.
    """
    report = verify_file(certificate, key=key, work=work, hashes=hashes)
    if as_json:
        print_json(
            {
                "ok": report.ok,
                "proven": report.proven,
                "not_proven": report.not_proven,
                "failures": report.failures,
            }
        )
    else:
        for line in report.failures:
            console.print(f"[red]✗ FAILED:[/] {line}", highlight=False)
        for line in report.proven:
            console.print(f"[green]✓ proven:[/] {line}", highlight=False)
        for line in report.not_proven:
            console.print(f"[yellow]? not proven:[/] {line}", highlight=False)
        verdict = (
            "[green]certificate verified[/]" if report.ok else "[red]certificate NOT verified[/]"
        )
        console.print(verdict)
    if not report.ok:
        raise typer.Exit(1)
