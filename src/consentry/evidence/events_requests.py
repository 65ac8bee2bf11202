"""Log entries for requests, answers, counters, licences in force and consent withdrawals.

Ids, hashes, uses and times only: reasons, purposes and attribution texts stay
in the registry and are committed to here by their SHA-256 (``terms_sha256``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import rfc8785

from consentry.domain import Use
from consentry.evidence.entry import Entry, EntryType


def _digest(values: Iterable[str]) -> str:
    return hashlib.sha256("".join(f"{v}\n" for v in sorted(values)).encode()).hexdigest()


def terms_sha256(terms: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON (RFC 8785) of terms as ``terms_to_dict`` writes them."""
    return hashlib.sha256(rfc8785.dumps(dict(terms))).hexdigest()


def _works(work_ids: Iterable[str]) -> dict[str, Any]:
    ids = sorted(set(work_ids))
    return {"works": len(ids), "works_sha256": _digest(ids)}


def request_sent(
    request_id: str,
    developer_id: str,
    origin: str,
    work_ids: Iterable[str],
    uses: Iterable[Use],
    terms: Mapping[str, Any],
    at: datetime,
) -> Entry:
    """A request (or catalogue offer) went out to the parties of its works."""
    return Entry(
        EntryType.REQUEST_SENT,
        {
            "request": request_id,
            "developer": developer_id,
            "origin": origin,
            **_works(work_ids),
            "uses": sorted(u.value for u in uses),
            "terms_sha256": terms_sha256(terms),
            "at": at.isoformat(),
        },
    )


def request_answered(
    request_id: str,
    *,
    party_id: str,
    answered_by: str,
    authority: str,
    mandate_id: str | None,
    kind: str,
    terms_id: str,
    work_ids: Iterable[str],
    counter_id: str | None,
    at: datetime,
) -> Entry:
    """A party (or its agent) granted, refused or countered some works of a request."""
    return Entry(
        EntryType.REQUEST_ANSWERED,
        {
            "request": request_id,
            "party": party_id,
            "answered_by": answered_by,
            "authority": authority,
            "mandate": mandate_id,
            "answer": kind,
            "terms": terms_id,
            **_works(work_ids),
            "counter": counter_id,
            "at": at.isoformat(),
        },
    )


def counter_answered(request_id: str, counter_id: str | None, decision: str, at: datetime) -> Entry:
    """The developer accepted or refused a counter (or accepted an offer: ``counter`` None)."""
    return Entry(
        EntryType.REQUEST_COUNTER_ANSWERED,
        {"request": request_id, "counter": counter_id, "decision": decision, "at": at.isoformat()},
    )


def request_withdrawn(request_id: str, at: datetime) -> Entry:
    """The developer withdrew a request: it takes no more answers."""
    return Entry(EntryType.REQUEST_WITHDRAWN, {"request": request_id, "at": at.isoformat()})


def licence_in_force(
    request_id: str, licence_id: str, terms_id: str, work_ids: Iterable[str], at: datetime
) -> Entry:
    """Every party of these works granted: the request's licence for them is in force."""
    return Entry(
        EntryType.LICENCE_IN_FORCE,
        {
            "request": request_id,
            "licence": licence_id,
            "terms": terms_id,
            **_works(work_ids),
            "at": at.isoformat(),
        },
    )


def consent_withdrawn(
    party_id: str,
    work_id: str,
    uses: Iterable[Use],
    effective_at: datetime,
    dataset_ids: Iterable[str],
    model_version_ids: Iterable[str],
) -> Entry:
    """A party withdrew consent for future uses; commits to the affected datasets and models."""
    datasets, models = sorted(set(dataset_ids)), sorted(set(model_version_ids))
    return Entry(
        EntryType.CONSENT_WITHDRAWN,
        {
            "party": party_id,
            "work": work_id,
            "uses": sorted(u.value for u in uses),
            "effective_at": effective_at.isoformat(),
            "datasets": datasets,
            "model_versions": models,
        },
    )
