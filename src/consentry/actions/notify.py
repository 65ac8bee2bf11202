"""Deliver the outbox: every queued message to its party's email, through a pluggable sender.

:class:`SmtpSender` speaks SMTP with :mod:`smtplib` (STARTTLS and login when
configured; the password is never logged). A message whose party has no email
address, or whose delivery fails, stays queued with the reason.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage

from consentry.actions.workspace import Workspace
from consentry.licensing.notify import OutboxMessage, Sender
from consentry.store.requests import RequestStore


@dataclass(frozen=True)
class SmtpSender:
    """Sends each message as one email through an SMTP server."""

    host: str
    port: int = 25
    sender: str = "consentry@localhost"
    starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout_s: float = 30.0

    def send(self, message: OutboxMessage, address: str) -> None:
        """Deliver one message; raises :class:`smtplib.SMTPException` or ``OSError`` on failure."""
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = address
        email["Subject"] = message.subject
        email["Message-ID"] = f"<{message.id}@consentry>"
        email.set_content(message.body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username is not None:
                smtp.login(self.username, self.password or "")
            smtp.send_message(email)


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def outbox(
    ws: Workspace, *, unsent: bool = False, recipient_ref: str | None = None
) -> list[OutboxMessage]:
    """Messages in the outbox, oldest first."""
    with ws.transaction() as registry:
        recipient = registry.get_party(recipient_ref).id if recipient_ref else None
        return RequestStore(registry.conn).messages(unsent=unsent, recipient_id=recipient)


def deliver(ws: Workspace, sender: Sender, *, limit: int | None = None) -> Delivery:
    """Send queued messages (oldest first); each is marked sent, or keeps its failure."""
    with ws.transaction() as registry:
        queued = RequestStore(registry.conn).messages(unsent=True)[:limit]
        addresses = {m.recipient_id: registry.get_party(m.recipient_id).email for m in queued}
    done = Delivery()
    for message in queued:
        address = addresses[message.recipient_id]
        try:
            if not address:
                raise ValueError(f"party {message.recipient_id} has no email address")
            sender.send(message, address)
        except (OSError, smtplib.SMTPException, ValueError) as exc:
            done.failed[message.id] = f"{type(exc).__name__}: {exc}"
            with ws.transaction() as registry:
                RequestStore(registry.conn).mark_failed(message.id, done.failed[message.id])
            continue
        with ws.transaction() as registry:
            RequestStore(registry.conn).mark_sent(message.id, ws.now())
        done.sent.append(message.id)
    return done
