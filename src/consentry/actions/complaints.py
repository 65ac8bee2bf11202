"""Complaints (redress): file, list, show, answer, escalate and resolve.

A creator or rightsholder of a work files a complaint against a developer
about a dataset version or a model version; it is checked at once against the
registry and the scan's manifest (:mod:`consentry.actions.complaints_check`).
Every change is one unit of work holding the change and its log entry. The
rules of who may do what are :mod:`consentry.licensing.complaints`.

Administrators decide escalated complaints. They are parties of any kind named
(by id, ISNI, IPI or unique name) in ``$CONSENTRY_ADMINISTRATORS``, separated
by commas, or passed as ``administrators=`` to these functions.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from consentry.actions.complaints_check import (
    file_evidence,
    item_evidence,
    read_manifests,
    trainings_for,
)
from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import Party, PartyKind
from consentry.errors import InvalidInput
from consentry.evidence import events_complaints as events
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    Answer,
    AnswerKind,
    Complaint,
    ComplaintState,
    Outcome,
    RejectReason,
    Remedy,
)
from consentry.licensing.complaints_check import ComplaintRecord, RowQuery, Verdict, check_use
from consentry.store import Registry
from consentry.store.complaints import ComplaintStore

ADMINISTRATORS_ENV = "CONSENTRY_ADMINISTRATORS"


@dataclass(frozen=True, slots=True)
class Subject:
    """What the complaint is about: a dataset version, a model version (name, version), or both."""

    dataset_version_id: str | None = None
    model: tuple[str, str] | None = None


def file_complaint(
    ws: Workspace,
    complainant_ref: str,
    developer_ref: str,
    work_id: str,
    subject: Subject,
    *,
    answer_within_days: int = rules.DEFAULT_ANSWER_DAYS,
    statement: str | None = None,
    files: Sequence[Path] = (),
    outputs: Sequence[Path] = (),
    items: Sequence[str] = (),
    manifests: Sequence[Path] = (),
) -> ComplaintRecord:
    """File a complaint, check it against the registry and the manifests, and log it."""
    filed_at = ws.now()
    answer_by = rules.answer_deadline(filed_at, answer_within_days)
    evidence = [*file_evidence(ws, work_id, files, outputs), *item_evidence(items)]
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        complainant = find_party(registry, complainant_ref)
        if complainant.id not in work.party_ids:
            raise InvalidInput(
                f"{complainant.name} ({complainant.id}) is not a creator or rightsholder of "
                f"work {work.id}",
                hint="only a work's own creators and rightsholders can complain about its use",
            )
        developer = _developer(registry, developer_ref)
        dataset_id, model_id = _subject(registry, subject, developer.id)
        complaint = Complaint(
            id=new_id("cmp"),
            complainant_id=complainant.id,
            developer_id=developer.id,
            work_id=work.id,
            filed_at=filed_at,
            answer_by=answer_by,
            dataset_version_id=dataset_id,
            model_version_id=model_id,
            statement=statement,
        )
        rules.check_filing(complaint)
        trainings = trainings_for(registry, dataset_id, model_id)
        datasets = {t.dataset_version_id for t in trainings if t.model_version_id == model_id}
        datasets |= {dataset_id} if dataset_id else set()
        hashes = {h for h in (work.fingerprints.sha256, work.fingerprints.content_sha256) if h}
        query = RowQuery(
            work.id,
            frozenset(hashes | {e.sha256 for e in evidence if e.sha256}),
            frozenset(e.item_id for e in evidence if e.item_id),
        )
        found = read_manifests(registry, sorted(datasets), manifests, query)
        check = check_use(found, trainings)
        filed = ComplaintRecord(complaint, tuple(evidence), check)
        ComplaintStore(registry.conn).add_complaint(filed)
        record(ws, registry, events.complaint_filed(filed))
    return filed


def _developer(registry: Registry, ref: str) -> Party:
    developer = find_party(registry, ref)
    if developer.kind is not PartyKind.DEVELOPER:
        raise InvalidInput(
            f"{developer.name} is a {developer.kind}, not a developer",
            hint="a complaint is filed against the developer that scanned or trained",
        )
    return developer


def _subject(
    registry: Registry, subject: Subject, developer_id: str
) -> tuple[str | None, str | None]:
    """The dataset and model version ids, each the developer's (or of no recorded developer)."""
    dataset_id = model_id = None
    if subject.dataset_version_id is not None:
        dataset = registry.get_dataset_version(subject.dataset_version_id)
        _owned(dataset.developer_id, developer_id, f"dataset version {dataset.id}")
        dataset_id = dataset.id
    if subject.model is not None:
        model = registry.find_model_version(*subject.model)
        _owned(model.developer_id, developer_id, f"model {model.name} {model.version}")
        model_id = model.id
    return dataset_id, model_id


def _owned(owner: str | None, developer_id: str, what: str) -> None:
    if owner is not None and owner != developer_id:
        raise InvalidInput(
            f"{what} belongs to developer {owner}, not {developer_id}",
            hint="file the complaint against the developer that made it",
        )


def list_complaints(
    ws: Workspace,
    *,
    party_ref: str | None = None,
    work_id: str | None = None,
    state: ComplaintState | None = None,
) -> list[tuple[Complaint, Verdict]]:
    """Complaints (with their check's verdict), by filing time; optionally filtered."""
    with ws.transaction() as registry:
        party_id = find_party(registry, party_ref).id if party_ref else None
        return ComplaintStore(registry.conn).list_complaints(
            party_id=party_id, work_id=work_id, state=state
        )


def show_complaint(ws: Workspace, complaint_id: str) -> ComplaintRecord:
    """One complaint with its moves, its evidence and the check made when it was filed."""
    with ws.transaction() as registry:
        return ComplaintStore(registry.conn).get_complaint(complaint_id)


def answer_complaint(
    ws: Workspace,
    complaint_id: str,
    by_ref: str,
    kind: AnswerKind,
    *,
    remedy: Remedy | None = None,
    reason: RejectReason | None = None,
    licence_id: str | None = None,
    amount: Decimal | None = None,
    currency: str | None = None,
    note: str | None = None,
) -> Complaint:
    """The developer accepts the complaint with a remedy, or rejects it with a reason."""
    with ws.transaction() as registry:
        store = ComplaintStore(registry.conn)
        before = store.get_complaint(complaint_id).complaint
        by = find_party(registry, by_ref)
        given = Answer(kind, by.id, ws.now(), remedy, reason, licence_id, amount, currency, note)
        after = rules.answer(before, given)
        if licence_id is not None:
            _check_licence(registry, after, licence_id)
        store.record_move(before, after)
        record(ws, registry, events.complaint_answered(after))
    return after


def _check_licence(registry: Registry, complaint: Complaint, licence_id: str) -> None:
    licence = registry.get_licence(licence_id)
    if licence.licensee_id != complaint.developer_id or complaint.work_id not in licence.work_ids:
        raise InvalidInput(
            f"licence {licence_id} is not to {complaint.developer_id} for work {complaint.work_id}",
            hint="name the licence that covers this work's past use",
        )


def escalate_complaint(
    ws: Workspace,
    complaint_id: str,
    by_ref: str,
    *,
    note: str | None = None,
    administrators: Sequence[str] | None = None,
) -> Complaint:
    """Take a complaint to an administrator (see the rules for who may, and when)."""
    with ws.transaction() as registry:
        store = ComplaintStore(registry.conn)
        before = store.get_complaint(complaint_id).complaint
        by = find_party(registry, by_ref)
        actor = rules.actor_of(
            before, by.id, _administrators(registry, before, by.id, administrators)
        )
        after = rules.escalate(before, by.id, actor, ws.now(), note)
        store.record_move(before, after)
        record(ws, registry, events.complaint_escalated(after))
    return after


def resolve_complaint(
    ws: Workspace,
    complaint_id: str,
    by_ref: str,
    outcome: Outcome,
    *,
    remedy: Remedy | None = None,
    note: str | None = None,
    administrators: Sequence[str] | None = None,
) -> Complaint:
    """End a complaint: settled or withdrawn by the complainant, upheld or dismissed by an admin."""
    with ws.transaction() as registry:
        store = ComplaintStore(registry.conn)
        before = store.get_complaint(complaint_id).complaint
        by = find_party(registry, by_ref)
        actor = rules.actor_of(
            before, by.id, _administrators(registry, before, by.id, administrators)
        )
        after = rules.resolve(before, by.id, actor, outcome, ws.now(), remedy=remedy, note=note)
        store.record_move(before, after)
        record(ws, registry, events.complaint_resolved(after))
    return after


def configured_administrators() -> list[str]:
    """The administrators named in ``$CONSENTRY_ADMINISTRATORS`` (comma-separated)."""
    raw = os.environ.get(ADMINISTRATORS_ENV, "")
    return [ref.strip() for ref in raw.split(",") if ref.strip()]


def _administrators(
    registry: Registry, complaint: Complaint, party_id: str, given: Sequence[str] | None
) -> frozenset[str]:
    """The administrators' party ids; resolved only when the actor is not a side of it."""
    if party_id in (complaint.complainant_id, complaint.developer_id):
        return frozenset()
    refs = configured_administrators() if given is None else given
    return frozenset(find_party(registry, ref).id for ref in refs)
