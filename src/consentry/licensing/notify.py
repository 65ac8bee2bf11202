"""Messages to the parties who must answer, and the sender interface that delivers them.

Messages are composed here from ids and terms (pure), stored in the outbox
table in the same unit of work as the change that caused them, and delivered
later by any :class:`Sender` (SMTP in ``consentry.actions.notify``; a test
double; a web push). A message that fails stays in the outbox to try again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from consentry.licensing.types import LicenceRequest


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message to one party about one request."""

    id: str
    recipient_id: str
    topic: str
    subject: str
    body: str
    created_at: datetime
    request_id: str | None = None
    sent_at: datetime | None = None
    attempts: int = 0
    last_error: str | None = None


class Sender(Protocol):
    """Delivers one message to an address; raises on failure (the message stays queued)."""

    def send(self, message: OutboxMessage, address: str) -> None:
        """Deliver ``message`` to ``address``."""


def ask_body(request: LicenceRequest, work_ids: list[str]) -> str:
    """The text asking a party to answer a request for its works."""
    terms = request.terms
    lines = [
        f"Developer {request.developer_id} asks for your consent (request {request.id}).",
        f"Uses: {', '.join(sorted(terms.uses))}",
        f"Models: {', '.join(sorted(terms.models)) or 'any'}",
        f"Purpose: {terms.purpose or '(not stated)'}",
        f"Term: {terms.starts_at.date()} to {terms.ends_at.date() if terms.ends_at else 'open'}",
        f"Territories: {', '.join(sorted(terms.territories)) or 'world'}",
        f"Your works: {', '.join(work_ids)}",
        "",
        f"Answer with: consentry requests answer {request.id} --party YOUR_ID "
        "--grant | --refuse | --counter TERMS.json",
    ]
    if request.answer_by is not None:
        lines.insert(6, f"Answer by: {request.answer_by.isoformat()}")
    return "\n".join(lines) + "\n"
