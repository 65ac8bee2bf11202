"""A complaint as JSON (``consentry complaints show --json``, the demo's ``complaint.json``).

The shape is ``schemas/complaint.schema.json``; amounts are decimal strings,
times ISO 8601 UTC.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from consentry.licensing.complaints import Answer, Complaint, Escalation, Resolution
from consentry.licensing.complaints_check import ComplaintRecord, RowFinding, Verdict

SCHEMA = "complaint.schema.json"


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _answer(a: Answer | None) -> dict[str, Any] | None:
    if a is None:
        return None
    return {
        "kind": a.kind.value,
        "by": a.by,
        "at": _when(a.at),
        "remedy": a.remedy.value if a.remedy else None,
        "reason": a.reason.value if a.reason else None,
        "licence_id": a.licence_id,
        "amount": str(a.amount) if a.amount is not None else None,
        "currency": a.currency,
        "note": a.note,
    }


def _escalation(e: Escalation | None) -> dict[str, Any] | None:
    if e is None:
        return None
    return {
        "by": e.by,
        "actor": e.actor.value,
        "at": _when(e.at),
        "overdue": e.overdue,
        "note": e.note,
    }


def _resolution(r: Resolution | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "outcome": r.outcome.value,
        "by": r.by,
        "actor": r.actor.value,
        "at": _when(r.at),
        "remedy": r.remedy.value if r.remedy else None,
        "note": r.note,
        "by_account": r.by_account,
    }


def _row(r: RowFinding) -> dict[str, Any]:
    return asdict(r) | {"reasons": list(r.reasons), "used_by": list(r.used_by), "use": r.use.value}


def complaint_as_dict(c: Complaint, verdict: Verdict, at: datetime) -> dict[str, Any]:
    """The complaint itself: who, what, its state and its moves (``overdue`` as of ``at``)."""
    return {
        "id": c.id,
        "state": c.state.value,
        "complainant_id": c.complainant_id,
        "developer_id": c.developer_id,
        "work_id": c.work_id,
        "dataset_version_id": c.dataset_version_id,
        "model_version_id": c.model_version_id,
        "statement": c.statement,
        "filed_at": _when(c.filed_at),
        "answer_by": _when(c.answer_by),
        "overdue": c.overdue(at),
        "verdict": verdict.value,
        "answer": _answer(c.answer),
        "answered_late": c.answered_late,
        "escalation": _escalation(c.escalation),
        "resolution": _resolution(c.resolution),
    }


def record_as_dict(record: ComplaintRecord, at: datetime) -> dict[str, Any]:
    """The complaint with its evidence and the check made when it was filed."""
    check = record.check
    return complaint_as_dict(record.complaint, check.verdict, at) | {
        "evidence": [
            {
                "kind": e.kind.value,
                "sha256": e.sha256,
                "item_id": e.item_id,
                "matches": list(e.matches),
                "holds_work": e.holds_work,
            }
            for e in record.evidence
        ],
        "check": {
            "verdict": check.verdict.value,
            "rows": [_row(r) for r in check.rows],
            "unchecked": list(check.unchecked),
            "trainings": [asdict(t) for t in check.trainings],
            "rows_sha256": check.rows_sha256(),
        },
    }
