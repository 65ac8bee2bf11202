"""Hand a withdrawal of consent to the removal flow (demands 6 and 7).

:func:`remove_withdrawn` takes a :class:`~consentry.actions.withdrawals.Withdrawal`
and runs :func:`~consentry.actions.remove.remove_work` for each dataset
version it lists, from the newest version of each line (a version that a
later removal superseded is not rewritten: its successor is). A version's
outputs folder is a scan folder the caller names (matched to the version by
its manifest's SHA-256, so no folder can be applied to the wrong version),
else the folder the scan recorded (:mod:`consentry.actions.outputs`). Versions
whose folder is unknown, moved or edited, or whose removal is refused, are
reported as pending with what to do; the others are removed.

Order and atomicity: the withdrawal is recorded first, in its own unit of
work (so every later scan already excludes the work); then each removal runs
as its own complete unit (new outputs written, then the new version, the
removal and its log entries committed together, then its certificate). A
failure leaves every earlier removal complete and the failed one absent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from consentry.actions.outputs import manifest_digest, output_folder
from consentry.actions.remove import RemovalResult, remove_work
from consentry.actions.withdrawals import Withdrawal, withdraw_consent
from consentry.actions.workspace import Workspace
from consentry.domain import Use
from consentry.errors import ConsentryError
from consentry.store.removals import RemovalStore


@dataclass(frozen=True, slots=True)
class Pending:
    """A dataset version the removal could not be run on, why, and what to do."""

    dataset_id: str
    why: str
    hint: str


@dataclass(frozen=True, slots=True)
class WithdrawalRemovals:
    """What handing a withdrawal to the removal flow did."""

    withdrawal: Withdrawal
    removed: tuple[RemovalResult, ...]
    superseded: tuple[tuple[str, str], ...]
    pending: tuple[Pending, ...]
    already: tuple[tuple[str, str], ...] = ()


def remove_withdrawn(
    ws: Workspace, withdrawal: Withdrawal, *, scans: Sequence[Path] = ()
) -> WithdrawalRemovals:
    """Remove the withdrawn work from every dataset version the withdrawal lists."""
    by_digest = {d: folder for folder in scans if (d := manifest_digest(folder)) is not None}
    successors, already = _lines(ws, withdrawal)
    reason = f"consent withdrawn by {withdrawal.party_id} for " + ", ".join(
        sorted(u.value for u in withdrawal.uses)
    )
    removed: list[RemovalResult] = []
    superseded: list[tuple[str, str]] = []
    pending: list[Pending] = []
    for dataset in withdrawal.datasets:
        if dataset.id in successors:
            superseded.append((dataset.id, successors[dataset.id]))
            continue
        if dataset.id in already:
            continue
        given = by_digest.get(dataset.manifest_sha256)
        try:
            folder = output_folder(ws, dataset.id, given, option="--scan DIR")
            removed.append(
                remove_work(ws, withdrawal.work_id, dataset.id, reason=reason, source_dir=folder)
            )
        except ConsentryError as exc:
            hint = exc.hint or f"consentry remove {withdrawal.work_id} --dataset {dataset.id}"
            pending.append(Pending(dataset.id, exc.message, hint))
    done = tuple(sorted(already.items()))
    return WithdrawalRemovals(withdrawal, tuple(removed), tuple(superseded), tuple(pending), done)


def _lines(ws: Workspace, withdrawal: Withdrawal) -> tuple[dict[str, str], dict[str, str]]:
    """Listed versions a removal rewrote into another listed one (old -> new), and listed
    versions already written without this work (version -> the removal that did it)."""
    listed = {d.id for d in withdrawal.datasets}
    successors: dict[str, str] = {}
    already: dict[str, str] = {}
    with ws.transaction() as registry:
        store = RemovalStore(registry.conn)
        for dataset in withdrawal.datasets:
            made_by = store.removal_making(dataset.id)
            if made_by is None:
                continue
            if made_by.dataset_version_id in listed:
                successors[made_by.dataset_version_id] = dataset.id
            if made_by.work_id == withdrawal.work_id:
                already[dataset.id] = made_by.id
    return successors, already


def withdraw_and_remove(
    ws: Workspace,
    work_id: str,
    party_ref: str,
    uses: Sequence[Use],
    *,
    effective_at: datetime | None = None,
    scans: Sequence[Path] = (),
) -> WithdrawalRemovals:
    """Withdraw consent (recorded first), then remove the work from the versions affected."""
    withdrawal = withdraw_consent(ws, work_id, party_ref, uses, effective_at=effective_at)
    return remove_withdrawn(ws, withdrawal, scans=scans)
