"""Log entries for the usage ledger: ids, counts, digests and times, nothing personal."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime

from consentry.evidence.entry import Entry, EntryType


def _digest(values: Iterable[str]) -> str:
    return hashlib.sha256("".join(f"{v}\n" for v in sorted(values)).encode()).hexdigest()


def usage_recorded(
    batch_id: str,
    model_version_id: str,
    dataset_version_id: str,
    used: str,
    used_at: datetime,
    work_ids: Iterable[str],
    past_uses: int,
) -> Entry:
    """A training's use of works, measured from its dataset version's manifest."""
    works = sorted(set(work_ids))
    return Entry(
        EntryType.USAGE_RECORDED,
        {
            "batch": batch_id,
            "model_version": model_version_id,
            "dataset": dataset_version_id,
            "used": used,
            "used_at": used_at.isoformat(),
            "works": len(works),
            "works_sha256": _digest(works),
            "past_uses": past_uses,
        },
    )


def inference_recorded(
    batch_id: str, model_version_id: str, used_at: datetime, work_ids: Iterable[str], uses: int
) -> Entry:
    """Inference-time uses of works by a model version (one entry per recorded batch)."""
    works = sorted(set(work_ids))
    return Entry(
        EntryType.INFERENCE_RECORDED,
        {
            "batch": batch_id,
            "model_version": model_version_id,
            "used_at": used_at.isoformat(),
            "works": len(works),
            "works_sha256": _digest(works),
            "uses": uses,
        },
    )


def revenue_reported(revenue_id: str, model: str, period: str, currency: str, amount: str) -> Entry:
    """Revenue reported for a model and a period (the basis of revenue-share fees)."""
    return Entry(
        EntryType.REVENUE_REPORTED,
        {
            "revenue": revenue_id,
            "model": model,
            "period": period,
            "currency": currency,
            "amount": amount,
        },
    )


def statement_issued(
    statement_id: str, period: str, party_id: str, currency: str, total_minor: int, sha256: str
) -> Entry:
    """A statement issued to a party for a period: its total and the digest of its body."""
    return Entry(
        EntryType.STATEMENT_ISSUED,
        {
            "statement": statement_id,
            "period": period,
            "party": party_id,
            "currency": currency,
            "total_minor": total_minor,
            "sha256": sha256,
        },
    )


def payment_recorded(
    payment_id: str, statement_id: str, amount_minor: int, currency: str, paid_on: date
) -> Entry:
    """A payment against a statement (its reference stays in the registry)."""
    return Entry(
        EntryType.PAYMENT_RECORDED,
        {
            "payment": payment_id,
            "statement": statement_id,
            "amount_minor": amount_minor,
            "currency": currency,
            "paid_on": paid_on.isoformat(),
        },
    )
