"""Requests, answers and counters: developers ask in advance, every party answers.

Tables join the registry's one ``metadata``; migration 0006 creates exactly these.
``requests.version`` is bumped first thing by every change to a request, so
two answers to the same request are serialised (the second waits or retries)
and the licence state is computed once.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from consentry.store.tables import UtcDateTime, metadata

__all__ = [
    "metadata",
    "outbox",
    "request_answers",
    "request_counters",
    "request_preferences",
    "request_works",
    "requests",
]


def _ref(name: str, target: str, *, nullable: bool = False) -> Column[str]:
    return Column(name, String(64), ForeignKey(target), nullable=nullable)


requests = Table(
    "requests",
    metadata,
    Column("id", String(64), primary_key=True),
    _ref("developer_id", "parties.id"),
    Column("origin", String(16), nullable=False),
    _ref("offered_by", "parties.id", nullable=True),
    Column("source", Text, nullable=False),
    Column("terms", Text, nullable=False),
    Column("answer_by", UtcDateTime),
    Column("developer_accepted_at", UtcDateTime),
    Column("renews", String(64)),
    Column("created_at", UtcDateTime, nullable=False),
    Column("withdrawn_at", UtcDateTime),
    Column("version", Integer, nullable=False, server_default="0"),
    Index("ix_requests_developer", "developer_id"),
)

request_works = Table(
    "request_works",
    metadata,
    _ref("request_id", "requests.id"),
    _ref("work_id", "works.id"),
    Column("position", Integer, nullable=False),
    Column("terms_id", String(64), nullable=False),
    Column("licence_id", String(64)),
    UniqueConstraint("request_id", "work_id", name="uq_request_works"),
    Index("ix_request_works_work", "work_id"),
)

request_answers = Table(
    "request_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ref("request_id", "requests.id"),
    _ref("work_id", "works.id"),
    _ref("party_id", "parties.id"),
    Column("kind", String(16), nullable=False),
    Column("terms_id", String(64), nullable=False),
    _ref("answered_by", "parties.id"),
    Column("authority", String(16), nullable=False),
    _ref("mandate_id", "mandates.id", nullable=True),
    Column("reason", Text),
    Column("counter_id", String(64)),
    Column("answered_at", UtcDateTime, nullable=False),
    Column("superseded_at", UtcDateTime),
    Index("ix_request_answers_request", "request_id"),
    Index("ix_request_answers_work_party", "work_id", "party_id"),
)

request_counters = Table(
    "request_counters",
    metadata,
    Column("id", String(64), primary_key=True),
    _ref("request_id", "requests.id"),
    _ref("work_id", "works.id"),
    _ref("party_id", "parties.id"),
    Column("terms", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime),
    Index("ix_request_counters_request", "request_id"),
)

request_preferences = Table(
    "request_preferences",
    metadata,
    Column("party_id", String(64), ForeignKey("parties.id"), primary_key=True),
    Column("ask_again_days", Integer),
    Column("ask_when_withheld", Integer, nullable=False, server_default="0"),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Messages to the parties that must answer (and to developers), sent by a pluggable sender.
outbox = Table(
    "outbox",
    metadata,
    Column("id", String(64), primary_key=True),
    _ref("recipient_id", "parties.id"),
    Column("request_id", String(64)),
    Column("topic", String(32), nullable=False),
    Column("subject", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Index("ix_outbox_unsent", "sent_at"),
)
