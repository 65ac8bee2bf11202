"""The log entry of a published model report: ids and hashes only."""

from __future__ import annotations

from collections.abc import Sequence

from consentry.evidence.entry import Entry, EntryType


def report_published(
    model_version_id: str,
    report_sha256: str,
    training_root: str,
    training_size: int,
    datasets: Sequence[str],
) -> Entry:
    """A model report was written: the hash of its files and the model's training-set commitment.

    ``report_sha256`` is the SHA-256 of the report's ``SHA256SUMS`` file (which
    lists every file of the report with its own SHA-256); ``training_root`` and
    ``training_size`` are the Merkle root and leaf count over the sorted hashes
    of every item the model version was trained on.
    """
    return Entry(
        EntryType.REPORT_PUBLISHED,
        {
            "model_version": model_version_id,
            "report_sha256": report_sha256,
            "training_root": training_root,
            "training_size": training_size,
            "datasets": sorted(datasets),
        },
    )
