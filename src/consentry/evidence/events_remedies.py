"""Log entries for complaint remedies carried out: the answer or resolution, plus what was done.

A remedy carried out is logged in the same entry as the move that decided it
(``complaint.answered`` or ``complaint.resolved``), built by
:mod:`consentry.evidence.events_complaints` and given one more field,
``carried_out``: ids, counts, minor units and party ids only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.evidence.entry import Entry
from consentry.evidence.events_complaints import complaint_answered, complaint_resolved
from consentry.licensing.complaints import Complaint


def carried_out(
    remedy: str,
    *,
    dataset: str | None = None,
    removal: str | None = None,
    new_dataset: str | None = None,
    items_removed: int | None = None,
    licence: str | None = None,
    currency: str | None = None,
    amount_minor: int | None = None,
    parts: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The ``carried_out`` field: what the remedy did (absent parts are left out)."""
    fields: dict[str, Any] = {
        "remedy": remedy,
        "dataset": dataset,
        "removal": removal,
        "new_dataset": new_dataset,
        "items_removed": items_removed,
        "licence": licence,
        "currency": currency,
        "amount_minor": amount_minor,
        "parts": dict(sorted(parts.items())) if parts else None,
    }
    return {k: v for k, v in fields.items() if v is not None}


def answered_with_remedy(complaint: Complaint, done: Mapping[str, Any]) -> Entry:
    """``complaint.answered`` with the remedy carried out in the same unit of work."""
    entry = complaint_answered(complaint)
    return Entry(entry.type, {**entry.fields, "carried_out": dict(done)})


def resolved_with_remedy(complaint: Complaint, done: Mapping[str, Any]) -> Entry:
    """``complaint.resolved`` with the remedy carried out in the same unit of work."""
    entry = complaint_resolved(complaint)
    return Entry(entry.type, {**entry.fields, "carried_out": dict(done)})
