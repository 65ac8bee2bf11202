"""Complaint remedies carried out, not only recorded (demands 4, 6 and 7).

When the developer accepts a complaint, or an administrator upholds it, with
a remedy, the remedy is done in the same unit of work as the move and its log
entry (``complaint.answered`` / ``complaint.resolved`` with ``carried_out``):

- ``remove``: :func:`~consentry.actions.remove.remove_work` takes the work out of
  the complained-about dataset version (its outputs folder named, or the one
  its scan recorded). The removal writes its new outputs first; then ONE unit
  of work records the new version, the removal, its three entries, the
  complaint's move, the remedy row and the move's entry. If anything fails,
  nothing is recorded and the new outputs are deleted. The certificate is
  issued right after, as for every removal.
- ``license``: the licence (to this developer, for this work) is linked.
- ``pay``: the amount is recorded as a settled past-use liability: one row
  per party of the work, split by their shares exactly (largest remainder).

A remedy that cannot be carried out (no outputs folder, an unknown licence,
an amount finer than the currency's minor unit) is refused and nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from consentry.actions.complaints import (
    answer_complaint,
    configured_administrators,
    resolve_complaint,
)
from consentry.actions.log import record
from consentry.actions.outputs import output_folder
from consentry.actions.parties import find_party
from consentry.actions.remove import RemovalResult, remove_work
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.evidence.entry import Entry
from consentry.evidence.events_complaints import complaint_resolved
from consentry.evidence.events_remedies import (
    answered_with_remedy,
    carried_out,
    resolved_with_remedy,
)
from consentry.evidence.removal import Removal
from consentry.ledger.money import from_minor, to_minor
from consentry.ledger.splits import party_fractions, split_minor
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    Answer,
    AnswerKind,
    Complaint,
    Outcome,
    RejectReason,
    Remedy,
)
from consentry.licensing.remedies import RemedyDone
from consentry.store import Registry
from consentry.store.complaints import ComplaintStore
from consentry.store.remedies import RemedyStore

Move = Callable[[Complaint], Complaint]


@dataclass(frozen=True, slots=True)
class Carried:
    """A complaint after its move, and the remedy carried out with it (None: none was)."""

    complaint: Complaint
    done: RemedyDone | None = None
    removal: RemovalResult | None = None


@dataclass(frozen=True, slots=True)
class RemedyArgs:
    """What carrying out a remedy needs beyond its kind."""

    licence_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    dataset_id: str | None = None
    source_dir: Path | None = None
    out_dir: Path | None = None


def answer_and_carry_out(
    ws: Workspace,
    complaint_id: str,
    by_ref: str,
    kind: AnswerKind,
    *,
    remedy: Remedy | None = None,
    reason: RejectReason | None = None,
    args: RemedyArgs = RemedyArgs(),
    note: str | None = None,
) -> Carried:
    """The developer answers; an accepting answer's remedy is carried out with it."""
    if kind is AnswerKind.REJECT or remedy is None:
        done = answer_complaint(
            ws, complaint_id, by_ref, kind, remedy=remedy, reason=reason,
            licence_id=args.licence_id, amount=args.amount, currency=args.currency, note=note,
        )  # fmt: skip
        return Carried(done)
    with ws.transaction() as registry:
        by = find_party(registry, by_ref).id
    given = Answer(
        kind, by, ws.now(), remedy, None, args.licence_id, args.amount, args.currency, note
    )
    return _carry_out(ws, complaint_id, "answer", remedy, args, lambda c: rules.answer(c, given))


def resolve_and_carry_out(
    ws: Workspace,
    complaint_id: str,
    by_ref: str,
    outcome: Outcome,
    *,
    remedy: Remedy | None = None,
    args: RemedyArgs = RemedyArgs(),
    note: str | None = None,
    administrators: Sequence[str] | None = None,
) -> Carried:
    """End a complaint; an administrator's ``upheld`` remedy is carried out with it."""
    if outcome is not Outcome.UPHELD or remedy is None:
        done = resolve_complaint(
            ws, complaint_id, by_ref, outcome, remedy=remedy, note=note,
            administrators=administrators,
        )  # fmt: skip
        return Carried(done)
    with ws.transaction() as registry:
        before = ComplaintStore(registry.conn).get_complaint(complaint_id).complaint
        by = find_party(registry, by_ref).id
        admins = _administrators(registry, before, by, administrators)
    at = ws.now()

    def move(c: Complaint) -> Complaint:
        actor = rules.actor_of(c, by, admins)
        return rules.resolve(c, by, actor, outcome, at, remedy=remedy, note=note)

    return _carry_out(ws, complaint_id, "resolution", remedy, args, move)


def resolve_with(
    ws: Workspace, complaint_id: str, move: Move, remedy: Remedy | None, args: RemedyArgs
) -> Carried:
    """Make a resolving ``move`` the caller built, carrying out ``remedy`` (if any) with it.

    For deciders that are not parties (an administrator account): the move
    names its own actor; the rest is as :func:`resolve_and_carry_out`.
    """
    if remedy is not None:
        return _carry_out(ws, complaint_id, "resolution", remedy, args, move)
    with ws.transaction() as registry:
        after = _record_move(registry, complaint_id, move)
        record(ws, registry, complaint_resolved(after))
    return Carried(after)


def _administrators(
    registry: Registry, complaint: Complaint, party_id: str, given: Sequence[str] | None
) -> frozenset[str]:
    if party_id in (complaint.complainant_id, complaint.developer_id):
        return frozenset()
    refs = configured_administrators() if given is None else given
    return frozenset(find_party(registry, ref).id for ref in refs)


def _carry_out(
    ws: Workspace, complaint_id: str, step: str, remedy: Remedy, args: RemedyArgs, move: Move
) -> Carried:
    """Check the move, then make it and carry out ``remedy`` in one unit of work."""
    with ws.transaction() as registry:
        complaint = move(ComplaintStore(registry.conn).get_complaint(complaint_id).complaint)
        _check_args(registry, complaint, remedy, args)
    if remedy is Remedy.REMOVE:
        return _remove(ws, complaint, step, args, move)
    with ws.transaction() as registry:
        after = _record_move(registry, complaint_id, move)
        done = _done(registry, after, step, remedy, args, ws)
        _finish(ws, registry, after, step, done, _fields(done))
    return Carried(after, done)


def _record_move(registry: Registry, complaint_id: str, move: Move) -> Complaint:
    store = ComplaintStore(registry.conn)
    before = store.get_complaint(complaint_id).complaint
    after = move(before)
    store.record_move(before, after)
    return after


def _finish(
    ws: Workspace,
    registry: Registry,
    after: Complaint,
    step: str,
    done: RemedyDone,
    fields: dict[str, object],
) -> None:
    RemedyStore(registry.conn).add(done)
    entry: Entry = (
        answered_with_remedy(after, fields)
        if step == "answer"
        else resolved_with_remedy(after, fields)
    )
    record(ws, registry, entry)


def _check_args(registry: Registry, c: Complaint, remedy: Remedy, args: RemedyArgs) -> None:
    """Refuse a remedy that could not be carried out, before anything is written."""
    if args.licence_id is not None and remedy is not Remedy.LICENSE:
        raise InvalidInput("a licence is named only with the remedy `license`")
    if (args.amount is not None or args.currency is not None) and remedy is not Remedy.PAY:
        raise InvalidInput("an amount is named only with the remedy `pay`")
    if remedy is Remedy.LICENSE:
        if args.licence_id is None:
            raise InvalidInput("the remedy `license` names the licence (--licence)")
        licence = registry.get_licence(args.licence_id)
        if licence.licensee_id != c.developer_id or c.work_id not in licence.work_ids:
            raise InvalidInput(
                f"licence {licence.id} is not to {c.developer_id} for work {c.work_id}",
                hint="name the licence that covers this work's past use",
            )
    if remedy is Remedy.PAY:
        if args.amount is None or args.currency is None or args.amount <= 0:
            raise InvalidInput("the remedy `pay` names an amount above zero and a currency")
        currency = args.currency
        if from_minor(to_minor(args.amount, currency), currency) != args.amount:
            raise InvalidInput(f"{args.amount} {currency} is finer than the currency's minor unit")


def _done(
    registry: Registry,
    c: Complaint,
    step: str,
    remedy: Remedy,
    args: RemedyArgs,
    ws: Workspace,
) -> RemedyDone:
    if remedy is Remedy.LICENSE:
        return RemedyDone(c.id, step, remedy.value, ws.now(), licence_id=args.licence_id)
    assert args.amount is not None and args.currency is not None  # checked by _check_args
    total = to_minor(args.amount, args.currency)
    parts = split_minor(total, party_fractions(registry.get_work(c.work_id)))
    return RemedyDone(
        c.id, step, remedy.value, ws.now(), currency=args.currency, amount_minor=total,
        parts=tuple(sorted(parts.items())),
    )  # fmt: skip


def _fields(done: RemedyDone) -> dict[str, object]:
    return carried_out(
        done.remedy,
        licence=done.licence_id,
        currency=done.currency,
        amount_minor=done.amount_minor,
        parts=dict(done.parts) or None,
    )


def _target(registry: Registry, c: Complaint, chosen: str | None) -> str:
    """The dataset version to remove the work from: the complaint's, or the model's one."""
    if c.dataset_version_id is not None and chosen in (None, c.dataset_version_id):
        return c.dataset_version_id
    trained = sorted(
        {t.dataset_version_id for t in registry.trainings_of(c.model_version_id)}
        if c.model_version_id
        else set()
    )
    if chosen is not None and chosen in trained:
        return chosen
    if chosen is None and len(trained) == 1:
        return trained[0]
    raise InvalidInput(
        f"which dataset version should work {c.work_id} be removed from? "
        f"({', '.join(trained) or 'the complaint names none'})",
        hint="name one the complaint concerns (--dataset)",
    )


def _remove(
    ws: Workspace, complaint: Complaint, step: str, args: RemedyArgs, move: Move
) -> Carried:
    with ws.transaction() as registry:
        dataset = _target(registry, complaint, args.dataset_id)
    folder = output_folder(ws, dataset, args.source_dir, option="--from DIR")
    moved: list[tuple[Complaint, RemedyDone]] = []

    def link(registry: Registry, removal: Removal) -> None:
        after = _record_move(registry, complaint.id, move)
        done = RemedyDone(
            complaint.id, step, Remedy.REMOVE.value, ws.now(),
            dataset_version_id=dataset, removal_id=removal.id,
        )  # fmt: skip
        fields = carried_out(
            done.remedy, dataset=dataset, removal=removal.id,
            new_dataset=removal.new_dataset_version_id, items_removed=removal.items_removed,
        )  # fmt: skip
        _finish(ws, registry, after, step, done, fields)
        moved.append((after, done))

    result = remove_work(
        ws, complaint.work_id, dataset, reason=f"complaint {complaint.id}",
        source_dir=folder, out_dir=args.out_dir, on_commit=link,
    )  # fmt: skip
    after, done = moved[0]
    return Carried(after, done, result)


def remedies_of(ws: Workspace, complaint_id: str) -> list[RemedyDone]:
    """The remedies carried out for a complaint, oldest first."""
    with ws.transaction() as registry:
        ComplaintStore(registry.conn).get_complaint(complaint_id)
        return RemedyStore(registry.conn).remedies(complaint_id=complaint_id)


@dataclass(frozen=True, slots=True)
class Settled:
    """One party's part of a past-use liability a complaint settled (remedy ``pay``)."""

    complaint_id: str
    step: str
    party_id: str
    currency: str
    amount_minor: int
    settled_at: datetime


def settlements(ws: Workspace, party_ref: str | None = None) -> list[Settled]:
    """Each party's part of every settled past-use liability (optionally one party's)."""
    with ws.transaction() as registry:
        party_id = find_party(registry, party_ref).id if party_ref else None
        found = RemedyStore(registry.conn).remedies(remedy=Remedy.PAY.value)
    return [
        Settled(d.complaint_id, d.step, p, d.currency or "", amount, d.carried_out_at)
        for d in found
        for p, amount in d.parts
        if party_id in (None, p)
    ]
