"""Turn a parsed import into the parties, works and consents to write (pure).

Everything the store needs comes back at once, or
:class:`~consentry.errors.ImportRejected` names every row that cannot be
resolved: an ambiguous name, a party of the wrong kind, a work id already in
the registry, contradictory consent for one party.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from consentry.domain import (
    Consent,
    ConsentState,
    Contribution,
    Party,
    PartyKind,
    Rights,
    Role,
    Use,
    Work,
)
from consentry.errors import ConsentryError, ImportRejected, RowError
from consentry.work_import.model import ImportPlan, PartyRef, ResolvedImport, WorkRow
from consentry.work_import.parse import collection_paused
from consentry.work_import.parties import PartyIndex, describe_party

ExistingWorkIds = Callable[[Iterable[str]], set[str]]


@dataclass
class _Outcome:
    works: list[Work] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)


def resolve_plan(
    plan: ImportPlan,
    index: PartyIndex,
    *,
    importer_id: str,
    at: datetime,
    existing_work_ids: ExistingWorkIds,
) -> ResolvedImport:
    """Match or create every party of ``plan`` and build its works and consents.

    ``existing_work_ids`` is asked once which of the given work ids the
    registry holds already (and once more for the generated ones); those rows
    are refused. Consents are recorded by ``importer_id`` at ``at`` with the
    evidence ``import <file name> line N``. Raises ImportRejected with every
    problem, in line order. ``index`` keeps the parties it created either way:
    build a fresh one for another attempt.
    """
    with collection_paused():
        return _resolve(plan, index, importer_id, at, existing_work_ids)


def _resolve(
    plan: ImportPlan,
    index: PartyIndex,
    importer_id: str,
    at: datetime,
    existing_work_ids: ExistingWorkIds,
) -> ResolvedImport:
    work_ids = _work_ids(plan.rows, index, existing_work_ids)
    outcome = _Outcome(warnings=list(plan.warnings))
    source = plan.path.name if plan.path is not None else "file"
    for row in plan.rows:
        work_id = work_ids.get(row.line)
        if work_id is None:
            outcome.errors.append(RowError(row.line, f"id {row.id!r} is already registered"))
            continue
        _resolve_row(
            row, work_id, index, outcome, f"import {source} line {row.line}", (importer_id, at)
        )
    if outcome.errors:
        path = str(plan.path) if plan.path is not None else "import"
        raise ImportRejected(path, sorted(outcome.errors, key=lambda e: e.line))
    return ResolvedImport(
        parties=index.created,
        works=tuple(outcome.works),
        consents=tuple(outcome.consents),
        warnings=tuple(sorted(outcome.warnings, key=lambda w: w.line)),
    )


def _work_ids(
    rows: Sequence[WorkRow], index: PartyIndex, existing: ExistingWorkIds
) -> dict[int, str]:
    """Line -> work id: the given id, or a fresh one; rows whose id is taken are left out."""
    taken = existing([r.id for r in rows if r.id is not None])
    ids = {r.line: r.id for r in rows if r.id is not None and r.id not in taken}
    used = set(ids.values()) | taken
    pending = [r.line for r in rows if r.id is None]
    while pending:
        fresh = {line: index.new_id("w") for line in pending}
        registered = existing(fresh.values())
        pending = []
        for line, work_id in fresh.items():
            if work_id in registered or work_id in used:
                pending.append(line)
            else:
                ids[line] = work_id
                used.add(work_id)
    return ids


Resolved = list[tuple[PartyKind, PartyRef, str]]


def _resolve_row(
    row: WorkRow,
    work_id: str,
    index: PartyIndex,
    outcome: _Outcome,
    evidence: str,
    recorder: tuple[str, datetime],
) -> None:
    resolved: Resolved = []
    errors_before = len(outcome.errors)
    groups = ((PartyKind.CREATOR, row.creators), (PartyKind.RIGHTSHOLDER, row.rightsholders))
    for kind, refs in groups:
        for ref in refs:
            try:
                found = index.resolve(ref, kind)
            except ConsentryError as exc:
                outcome.errors.append(RowError(row.line, exc.message))
                continue
            resolved.append((kind, ref, found.party.id))
            if not found.created:
                _warn_unrecorded(row.line, ref, found.party, outcome)
    consents = _consents(row, resolved, outcome)
    if len(outcome.errors) > errors_before:
        return
    outcome.works.append(_work(row, work_id, resolved))
    importer_id, at = recorder
    outcome.consents.extend(
        Consent(
            party_id=party_id,
            subject_id=work_id,
            use=use,
            state=state,
            recorded_at=at,
            recorded_by=importer_id,
            evidence=evidence,
        )
        for (party_id, use), state in consents.items()
    )


def _warn_unrecorded(line: int, ref: PartyRef, party: Party, outcome: _Outcome) -> None:
    """A registered party lacks an ISNI or IPI the row gives: say it was not added."""
    missing = [
        label
        for label, mine, theirs in (("ISNI", ref.isni, party.isni), ("IPI", ref.ipi, party.ipi))
        if mine and not theirs
    ]
    if missing:
        what = " and ".join(missing)
        outcome.warnings.append(
            RowError(
                line,
                f"{ref.name!r} matched {describe_party(party)}, which has no {what}; "
                f"the row's {what} was not recorded (update the party to add it)",
            )
        )


def _consents(
    row: WorkRow, resolved: Resolved, outcome: _Outcome
) -> dict[tuple[str, Use], ConsentState]:
    """Each party's own consent, then the row's shorthand for what it left unsaid."""
    own: dict[tuple[str, Use], ConsentState] = {}
    for _, ref, party_id in resolved:
        for use, state in ref.consent.items():
            earlier = own.setdefault((party_id, use), state)
            if earlier is not state:
                outcome.errors.append(
                    RowError(
                        row.line,
                        f"{ref.name!r} ({party_id}) is listed twice with different "
                        f"consent for {use}: {earlier} and {state}",
                    )
                )
    merged = dict(own)
    for party_id in dict.fromkeys(p for _, _, p in resolved):
        for use, state in row.consent.items():
            merged.setdefault((party_id, use), state)
    return merged


def _work(row: WorkRow, work_id: str, resolved: Resolved) -> Work:
    contributions = tuple(
        Contribution(party_id, ref.role or Role.AUTHOR, ref.share)
        for kind, ref, party_id in resolved
        if kind is PartyKind.CREATOR
    )
    rights = tuple(
        Rights(party_id, ref.share, ref.territory or "world")
        for kind, ref, party_id in resolved
        if kind is PartyKind.RIGHTSHOLDER
    )
    return Work(
        id=work_id,
        title=row.title,
        kind=row.kind,
        identifiers=dict(row.identifiers),
        contributions=contributions,
        rights=rights,
        split=row.split,
        fingerprints=row.fingerprints,
    )
