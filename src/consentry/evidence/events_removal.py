"""Log entries of a removal: requested, completed, certificate issued (ids and hashes only).

The requester's free-text reason never enters the log; it stays in the
registry's ``removals`` table, which can correct or erase it.
"""

from __future__ import annotations

from consentry.evidence.entry import Entry, EntryType


def removal_requested(
    removal_id: str,
    work_id: str,
    dataset_id: str,
    sha256: str | None,
    content_sha256: str | None,
    requested_at: str,
) -> Entry:
    """A work is to be taken out of a dataset version; its hashes say which."""
    return Entry(
        EntryType.REMOVAL_REQUESTED,
        {
            "removal": removal_id,
            "work": work_id,
            "dataset": dataset_id,
            "sha256": sha256,
            "content_sha256": content_sha256,
            "requested_at": requested_at,
        },
    )


def removal_completed(
    removal_id: str,
    work_id: str,
    dataset_id: str,
    new_dataset_id: str,
    removed: int,
    claims_sha256: str,
    completed_at: str,
) -> Entry:
    """The new version without the work is written; commits to the certificate's claims."""
    return Entry(
        EntryType.REMOVAL_COMPLETED,
        {
            "removal": removal_id,
            "work": work_id,
            "dataset": dataset_id,
            "new_dataset": new_dataset_id,
            "removed": removed,
            "claims_sha256": claims_sha256,
            "completed_at": completed_at,
        },
    )


def certificate_issued(removal_id: str, certificate_sha256: str) -> Entry:
    """A removal certificate was issued; the digest of its file as written."""
    return Entry(
        EntryType.CERTIFICATE_ISSUED,
        {"removal": removal_id, "certificate_sha256": certificate_sha256},
    )
