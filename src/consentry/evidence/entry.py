"""Log entries: canonical JSON (RFC 8785) holding identifiers and hashes, never personal data.

Every entry is a JSON object with ``type`` (one of :class:`EntryType`), ``v``
(the schema version of that type) and fields that are ids, hashes, uses,
states and timestamps only: the log cannot forget, so names, emails and free
text never enter it. Its bytes are the RFC 8785 canonical form, so that
anyone re-serialising the same object gets the same leaf hash.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import rfc8785

from consentry.evidence.merkle import hash_leaf

SCHEMA_VERSION = 1
MAX_ENTRY_BYTES = 64 * 1024
# Field names that could carry personal data; an entry holding one is refused.
PERSONAL_FIELDS = frozenset({"name", "email", "title", "evidence", "reason_text", "address"})


class EntryType(StrEnum):
    """What happened."""

    WORK_REGISTERED = "work.registered"
    CONSENT_SET = "consent.set"
    MANDATE_GIVEN = "mandate.given"
    MANDATE_REVOKED = "mandate.revoked"
    LICENCE_GRANTED = "licence.granted"
    LICENCE_REVOKED = "licence.revoked"
    DATASET_COMMITTED = "dataset.committed"
    MODEL_TRAINED = "model.trained"
    REMOVAL_REQUESTED = "removal.requested"
    REMOVAL_COMPLETED = "removal.completed"
    CERTIFICATE_ISSUED = "certificate.issued"
    REQUEST_SENT = "request.sent"
    REQUEST_ANSWERED = "request.answered"
    REQUEST_COUNTER_ANSWERED = "request.counter_answered"
    REQUEST_WITHDRAWN = "request.withdrawn"
    LICENCE_IN_FORCE = "licence.in_force"
    CONSENT_WITHDRAWN = "consent.withdrawn"
    COMPLAINT_FILED = "complaint.filed"
    COMPLAINT_ANSWERED = "complaint.answered"
    COMPLAINT_ESCALATED = "complaint.escalated"
    COMPLAINT_RESOLVED = "complaint.resolved"
    USAGE_RECORDED = "usage.recorded"
    INFERENCE_RECORDED = "inference.recorded"
    REVENUE_REPORTED = "revenue.reported"
    STATEMENT_ISSUED = "statement.issued"
    PAYMENT_RECORDED = "payment.recorded"
    REPORT_PUBLISHED = "report.published"
    CLAIM_CONFIRMED = "claim.confirmed"


@dataclass(frozen=True)
class Entry:
    """One log entry: its type, its fields, and its canonical bytes."""

    type: EntryType
    fields: Mapping[str, Any]

    def body(self) -> dict[str, Any]:
        """The JSON object the entry is."""
        return {"type": self.type.value, "v": SCHEMA_VERSION, **self.fields}

    def canonical(self) -> bytes:
        """RFC 8785 canonical JSON of :meth:`body`."""
        personal = PERSONAL_FIELDS & set(self.fields)
        if personal or {"type", "v"} & set(self.fields):
            raise ValueError(f"log entries hold ids and hashes only, not {sorted(personal)}")
        data = rfc8785.dumps(self.body())
        if len(data) > MAX_ENTRY_BYTES:
            raise ValueError(f"a log entry is limited to {MAX_ENTRY_BYTES} bytes")
        return data

    def leaf_hash(self) -> bytes:
        """The entry's Merkle leaf hash (RFC 9162)."""
        return hash_leaf(self.canonical())


def parse_entry(data: bytes) -> Entry:
    """An entry from its stored canonical bytes (which must be canonical already)."""
    body = json.loads(data)
    entry = Entry(EntryType(body.pop("type")), {k: v for k, v in body.items() if k != "v"})
    if entry.canonical() != data:
        raise ValueError("the stored entry is not in canonical form")
    return entry
