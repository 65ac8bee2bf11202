"""The log entries of complaints: ids, codes, hashes and times; no statement or note text.

Free text (the complaint's statement, the answer's note) stays in the registry;
the log commits to it by SHA-256 only, so that it can be checked later but
never read from the log.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from consentry.evidence.entry import Entry, EntryType
from consentry.licensing.complaints import Complaint
from consentry.licensing.complaints_check import ComplaintRecord


def _text_sha256(text: str | None) -> str | None:
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def complaint_filed(record: ComplaintRecord) -> Entry:
    """A complaint filed, with what it names and what the check found."""
    c, check = record.complaint, record.check
    return Entry(
        EntryType.COMPLAINT_FILED,
        {
            "complaint": c.id,
            "complainant": c.complainant_id,
            "developer": c.developer_id,
            "work": c.work_id,
            "dataset": c.dataset_version_id,
            "model_version": c.model_version_id,
            "filed_at": _when(c.filed_at),
            "answer_by": _when(c.answer_by),
            "statement_sha256": _text_sha256(c.statement),
            "evidence_sha256": sorted(e.sha256 for e in record.evidence if e.sha256),
            "items": sorted(e.item_id for e in record.evidence if e.item_id),
            "verdict": check.verdict.value,
            "rows": len(check.rows),
            "rows_sha256": check.rows_sha256(),
            "unchecked": list(check.unchecked),
            "trainings": sorted(
                f"{t.model_version_id}:{t.dataset_version_id}:{t.used}" for t in check.trainings
            ),
        },
    )


def complaint_answered(complaint: Complaint) -> Entry:
    """The developer's answer: accept with a remedy, or reject with a reason code."""
    a = complaint.answer
    if a is None:
        raise ValueError(f"complaint {complaint.id} has no answer to log")
    return Entry(
        EntryType.COMPLAINT_ANSWERED,
        {
            "complaint": complaint.id,
            "by": a.by,
            "answer": a.kind.value,
            "remedy": a.remedy.value if a.remedy else None,
            "reason": a.reason.value if a.reason else None,
            "licence": a.licence_id,
            "amount": str(a.amount) if a.amount is not None else None,
            "currency": a.currency,
            "answered_at": _when(a.at),
            "late": complaint.answered_late,
            "note_sha256": _text_sha256(a.note),
        },
    )


def complaint_escalated(complaint: Complaint) -> Entry:
    """A complaint taken to an administrator."""
    e = complaint.escalation
    if e is None:
        raise ValueError(f"complaint {complaint.id} has no escalation to log")
    return Entry(
        EntryType.COMPLAINT_ESCALATED,
        {
            "complaint": complaint.id,
            "by": e.by,
            "actor": e.actor.value,
            "escalated_at": _when(e.at),
            "overdue": e.overdue,
            "note_sha256": _text_sha256(e.note),
        },
    )


def complaint_resolved(complaint: Complaint) -> Entry:
    """A complaint ended, with its outcome and the remedy owed, if any.

    ``by`` is a party's id; for a decision by a service administrator account,
    it is that account's id and the entry has ``by_account: true``.
    """
    r = complaint.resolution
    if r is None:
        raise ValueError(f"complaint {complaint.id} has no resolution to log")
    fields: dict[str, object] = {
        "complaint": complaint.id,
        "by": r.by,
        "actor": r.actor.value,
        "outcome": r.outcome.value,
        "remedy": r.remedy.value if r.remedy else None,
        "resolved_at": _when(r.at),
        "note_sha256": _text_sha256(r.note),
    }
    if r.by_account:
        fields["by_account"] = True
    return Entry(EntryType.COMPLAINT_RESOLVED, fields)
