"""The log entry for each kind of change: ids, hashes, uses and times, nothing personal."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from consentry.domain import Consent, Licence, Mandate, Work
from consentry.evidence.entry import Entry, EntryType


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _digest(values: Iterable[str]) -> str:
    """SHA-256 of the sorted values, one per line: a short commitment to a set of ids."""
    return hashlib.sha256("".join(f"{v}\n" for v in sorted(values)).encode()).hexdigest()


def work_registered(work: Work) -> Entry:
    """A work entered the registry, with the hashes that identify it."""
    prints = work.fingerprints
    return Entry(
        EntryType.WORK_REGISTERED,
        {
            "work": work.id,
            "kind": work.kind.value,
            "sha256": prints.sha256,
            "content_sha256": prints.content_sha256,
            "norm": prints.norm,
            "near": sorted(prints.near),
            "parties": sorted(work.party_ids),
        },
    )


def consent_set(consent: Consent, version: int | None = None) -> Entry:
    """A party's answer for a use on a work or persona (the evidence text stays in the registry)."""
    return Entry(
        EntryType.CONSENT_SET,
        {
            "party": consent.party_id,
            "subject": consent.subject_id,
            "subject_kind": consent.subject_kind.value,
            "use": consent.use.value,
            "state": consent.state.value,
            "recorded_at": _when(consent.recorded_at),
            "recorded_by": consent.recorded_by,
            "mandate": consent.mandate_id,
            "expires_at": _when(consent.expires_at),
            "consent_version": version,
        },
    )


def licence_granted(licence: Licence) -> Entry:
    """A licence to a developer, committing to its works and grants."""
    return Entry(
        EntryType.LICENCE_GRANTED,
        {
            "licence": licence.id,
            "licensee": licence.licensee_id,
            "works": len(licence.work_ids),
            "works_sha256": _digest(licence.work_ids),
            "uses": sorted(u.value for u in licence.uses),
            "starts_at": _when(licence.starts_at),
            "ends_at": _when(licence.ends_at),
            "grants": sorted(f"{g.work_id}:{g.party_id}" for g in licence.grants),
        },
    )


def licence_revoked(licence_id: str, at: datetime) -> Entry:
    """A licence ended from ``at`` on."""
    return Entry(EntryType.LICENCE_REVOKED, {"licence": licence_id, "revoked_at": _when(at)})


def mandate_given(mandate: Mandate) -> Entry:
    """An agent's authority to answer for creators."""
    return Entry(
        EntryType.MANDATE_GIVEN,
        {
            "mandate": mandate.id,
            "agent": mandate.agent_id,
            "creators": sorted(mandate.creator_ids),
            "uses": sorted(u.value for u in mandate.uses),
            "granted_at": _when(mandate.granted_at),
        },
    )


def mandate_revoked(mandate_id: str, at: datetime) -> Entry:
    """A mandate ended from ``at`` on."""
    return Entry(EntryType.MANDATE_REVOKED, {"mandate": mandate_id, "revoked_at": _when(at)})


def dataset_committed(
    dataset_id: str, manifest_sha256: str, root: str | None, size: int, as_of: datetime
) -> Entry:
    """A scan's dataset version: its manifest digest and the root of its included hashes."""
    return Entry(
        EntryType.DATASET_COMMITTED,
        {
            "dataset": dataset_id,
            "manifest_sha256": manifest_sha256,
            "root": root,
            "size": size,
            "as_of": _when(as_of),
        },
    )


def model_trained(model_version_id: str, dataset_id: str, used: str) -> Entry:
    """A model version trained on a dataset version (``cleared`` or ``all`` of it)."""
    return Entry(
        EntryType.MODEL_TRAINED,
        {"model_version": model_version_id, "dataset": dataset_id, "used": used},
    )
