"""Register works: one from a file, or a whole catalogue from JSONL/CSV, all or nothing.

Both paths go through the same parser and party resolution
(:mod:`consentry.work_import`), so a work added by hand is checked exactly as
an imported one is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.actions.workspace import LOCAL_ACTOR, Workspace
from consentry.domain import Work, WorkKind
from consentry.errors import InvalidInput, RowError
from consentry.evidence import events
from consentry.fingerprint import sniff_kind
from consentry.store import Registry
from consentry.work_import import (
    ImportPlan,
    PartyIndex,
    ResolvedImport,
    parse_import,
    parse_rows,
    resolve_plan,
)

# Rows per insert batch, all in one transaction: bounds the driver's parameter lists.
WRITE_BATCH = 5_000


@dataclass(frozen=True)
class ImportReport:
    """What an import wrote, and what it warns about."""

    works: tuple[Work, ...]
    parties_created: int
    consents_recorded: int
    warnings: tuple[RowError, ...]


Progress = Callable[[str, int, int], None]
"""Told ``(stage, done, total)`` as an import goes: ``check``, ``resolve``, ``write``."""


def _silent(stage: str, done: int, total: int) -> None:
    return None


def import_works(
    ws: Workspace,
    path: Path,
    *,
    recorded_by: str = LOCAL_ACTOR,
    progress: Progress = _silent,
) -> ImportReport:
    """Import every work of a JSONL or CSV file, or none (``ImportRejected``)."""
    progress("check", 0, 0)
    plan = parse_import(Path(path))
    return _write(ws, plan, recorded_by, progress)


def add_work(
    ws: Workspace,
    file: Path,
    *,
    title: str,
    creators: Sequence[dict[str, Any]] = (),
    rightsholders: Sequence[dict[str, Any]] = (),
    kind: WorkKind | None = None,
    work_id: str | None = None,
    identifiers: dict[str, str] | None = None,
    recorded_by: str = LOCAL_ACTOR,
) -> Work:
    """Register one work from its file, with the same checks as an import row."""
    file = Path(file)
    if kind is None:
        with file.open("rb") as fh:
            kind = sniff_kind(fh.read(4096))
        if kind is None:
            raise InvalidInput(f"cannot tell what kind of work {file} is", hint="give --kind")
    row: dict[str, Any] = {"title": title, "kind": kind.value, "file": file.name}
    if work_id:
        row["id"] = work_id
    if identifiers:
        row["identifiers"] = identifiers
    if creators:
        row["creators"] = list(creators)
    if rightsholders:
        row["rightsholders"] = list(rightsholders)
    plan = parse_rows([row], base=file.resolve().parent, source=str(file))
    return _write(ws, plan, recorded_by).works[0]


def _write(
    ws: Workspace, plan: ImportPlan, recorded_by: str, progress: Progress = _silent
) -> ImportReport:
    with ws.transaction() as registry:
        progress("resolve", 0, len(plan.rows))
        resolved = _resolve(registry, plan, recorded_by, ws)
        registry.add_parties(resolved.parties)
        total = len(resolved.works) + len(resolved.consents)
        done = 0
        for start in range(0, len(resolved.works), WRITE_BATCH):
            batch = resolved.works[start : start + WRITE_BATCH]
            registry.add_works(batch)
            registry.append_entries([events.work_registered(w) for w in batch], ws.now())
            done += len(batch)
            progress("write", done, total)
        for start in range(0, len(resolved.consents), WRITE_BATCH):
            chunk = resolved.consents[start : start + WRITE_BATCH]
            registry.record_consents_bulk(chunk)
            registry.append_entries([events.consent_set(c) for c in chunk], ws.now())
            done += len(chunk)
            progress("write", done, total)
    return ImportReport(
        works=resolved.works,
        parties_created=len(resolved.parties),
        consents_recorded=len(resolved.consents),
        warnings=resolved.warnings,
    )


def _resolve(
    registry: Registry, plan: ImportPlan, recorded_by: str, ws: Workspace
) -> ResolvedImport:
    index = PartyIndex(registry.list_parties())
    return resolve_plan(
        plan,
        index,
        importer_id=recorded_by,
        at=ws.now(),
        existing_work_ids=registry.existing_work_ids,
    )


def get_work(ws: Workspace, work_id: str) -> Work:
    """One work with its parties, identifiers and fingerprints."""
    with ws.transaction() as registry:
        return registry.get_work(work_id)


def list_works(
    ws: Workspace,
    *,
    kind: WorkKind | None = None,
    party_id: str | None = None,
    title_contains: str | None = None,
    limit: int | None = None,
) -> list[Work]:
    """Works in id order, filtered by kind, party or title."""
    with ws.transaction() as registry:
        return registry.list_works(
            kind=kind, party_id=party_id, title_contains=title_contains, limit=limit
        )
