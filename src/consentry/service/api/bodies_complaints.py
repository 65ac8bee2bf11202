"""Bodies of the complaint, removal and report routes (pydantic; unknown fields refused)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from consentry.licensing.complaints import Complaint, Outcome, RejectReason, Remedy
from consentry.licensing.complaints_check import ComplaintRecord, Verdict
from consentry.service.api.bodies import In, Out, Ref

Note = Field(default=None, max_length=4000)
Id = Field(default=None, min_length=1, max_length=200)


class ModelRefIn(In):
    """A model version by name and version."""

    name: str = Field(min_length=1, max_length=200)
    version: str = Field(min_length=1, max_length=200)


class ComplaintIn(In):
    """A complaint about a developer's dataset version, model version, or both."""

    party: str = Ref
    developer: str = Ref
    work_id: str = Field(min_length=1, max_length=64)
    dataset_version: str | None = Id
    model: ModelRefIn | None = None
    statement: str | None = Note
    items: list[str] = Field(default_factory=list, max_length=1000)
    answer_within_days: int = Field(default=30, ge=1, le=365)


class ComplaintAnswerIn(In):
    """The developer accepts (with a remedy) or rejects (with a reason)."""

    kind: Literal["accept", "reject"]
    remedy: Remedy | None = None
    reason: RejectReason | None = None
    licence_id: str | None = Id
    amount: Decimal | None = Field(default=None, gt=0, max_digits=18)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    dataset_version: str | None = Id
    note: str | None = Note


class EscalateIn(In):
    """Take the complaint to an administrator."""

    note: str | None = Note


class ResolveIn(In):
    """End the complaint (settled or withdrawn by the complainant)."""

    outcome: Outcome
    note: str | None = Note


class DecideIn(In):
    """An administrator's decision on an escalated complaint: upheld (with a remedy) or dismissed.

    The remedy is carried out at once: ``remove`` takes the work out of the
    complained-about dataset version (``dataset_version`` picks one a model was
    trained on), ``license`` links ``licence_id``, ``pay`` records ``amount``
    in ``currency`` as a settled past-use liability.
    """

    outcome: Literal["upheld", "dismissed"]
    remedy: Remedy | None = None
    licence_id: str | None = Id
    amount: Decimal | None = Field(default=None, gt=0, max_digits=18)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    dataset_version: str | None = Id
    note: str | None = Note


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _answer(c: Complaint) -> dict[str, Any] | None:
    a = c.answer
    if a is None:
        return None
    amount = str(a.amount) if a.amount is not None else None
    return {
        "kind": a.kind.value,
        "by": a.by,
        "at": _when(a.at),
        "remedy": a.remedy,
        "reason": a.reason,
        "licence_id": a.licence_id,
        "amount": amount,
        "currency": a.currency,
        "note": a.note,
    }


def _escalation(c: Complaint) -> dict[str, Any] | None:
    e = c.escalation
    if e is None:
        return None
    return {"by": e.by, "actor": e.actor.value, "at": _when(e.at), "overdue": e.overdue} | {
        "note": e.note
    }


def _resolution(c: Complaint) -> dict[str, Any] | None:
    r = c.resolution
    if r is None:
        return None
    return {
        "outcome": r.outcome.value,
        "by": r.by,
        "actor": r.actor.value,
        "at": _when(r.at),
        "remedy": r.remedy,
        "note": r.note,
        "by_account": r.by_account,
    }


class ComplaintOut(Out):
    """A complaint: its parties, subject, state, each move, and the filing check's verdict."""

    id: str
    complainant_id: str
    developer_id: str
    work_id: str
    filed_at: datetime
    answer_by: datetime
    dataset_version_id: str | None
    model_version_id: str | None
    statement: str | None
    state: str
    version: int
    verdict: str
    answer: dict[str, Any] | None
    escalation: dict[str, Any] | None
    resolution: dict[str, Any] | None
    check: dict[str, Any] | None = None

    @classmethod
    def of(
        cls, c: Complaint, verdict: Verdict, record: ComplaintRecord | None = None
    ) -> ComplaintOut:
        """From the complaint (and, for one complaint, its evidence and check)."""
        return cls(
            id=c.id,
            complainant_id=c.complainant_id,
            developer_id=c.developer_id,
            work_id=c.work_id,
            filed_at=c.filed_at,
            answer_by=c.answer_by,
            dataset_version_id=c.dataset_version_id,
            model_version_id=c.model_version_id,
            statement=c.statement,
            state=c.state.value,
            version=c.version,
            verdict=verdict.value,
            answer=_answer(c),
            escalation=_escalation(c),
            resolution=_resolution(c),
            check=None if record is None else _check(record),
        )


def _check(record: ComplaintRecord) -> dict[str, Any]:
    evidence = [
        {"kind": x.kind.value, "sha256": x.sha256, "item_id": x.item_id, "matches": list(x.matches)}
        for x in record.evidence
    ]
    rows = [
        {"dataset_version_id": r.dataset_version_id, "row": r.row, "item_id": r.item_id}
        | {"decision": r.decision, "reasons": list(r.reasons)}
        for r in record.check.rows
    ]
    trainings = [
        {"model_version_id": t.model_version_id, "dataset_version_id": t.dataset_version_id}
        | {"used": t.used}
        for t in record.check.trainings
    ]
    unchecked = list(record.check.unchecked)
    return {"evidence": evidence, "rows": rows, "unchecked": unchecked, "trainings": trainings}


# -- removal certificates ------------------------------------------------------------------
class CertificateReportOut(Out):
    """What the check proved, what it could not prove, and what failed (``ok``: nothing)."""

    ok: bool
    proven: list[str]
    not_proven: list[str]
    failures: list[str]


class RemovalCertificateOut(Out):
    """A completed removal and the certificate issued for it (as issued, byte for byte)."""

    removal_id: str
    work_id: str
    dataset_version_id: str
    new_dataset_version_id: str
    completed_at: datetime
    certificate_sha256: str | None
    certificate: str = Field(description="the certificate's JSON text, as issued")


# -- published model reports ---------------------------------------------------------------
class PublishedReportOut(Out):
    """A published model report the log vouches for: its files' digests and its content."""

    model_version_id: str
    report_sha256: str = Field(description="SHA-256 of SHA256SUMS, committed to by the log")
    log_position: int
    files: dict[str, str] = Field(description="file name -> SHA-256")
    report: dict[str, Any] | None = Field(description="report.json (in the single-report view)")
