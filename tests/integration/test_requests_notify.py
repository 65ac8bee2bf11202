"""The outbox and its delivery: every party asked gets a message, sent by SMTP to a real server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from requests_world import ADA, BEN, DEV, PRESS, ClockWorkspace, make_world, terms

from consentry.actions import notify, requests
from consentry.licensing.notify import OutboxMessage


class _Inbox(Message):
    """Keeps every message the server receives."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[object] = []

    def handle_message(self, message: object) -> None:
        self.received.append(message)


@pytest.fixture
def ws(database_url: str) -> Iterator[ClockWorkspace]:
    yield from make_world(database_url)


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_every_party_asked_gets_an_email_through_smtp(
    ws: ClockWorkspace, smtp: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth", "w_jonah"]).request.id
    done = notify.deliver(ws, notify.SmtpSender("127.0.0.1", port, sender="asks@consentry.test"))
    assert len(done.sent) == 3 and done.failed == {}
    got = {str(m["To"]): m for m in inbox.received}  # type: ignore[index]
    assert set(got) == {"ada@example.org", "ben@example.org", "rights@lantern.example"}
    press = got["rights@lantern.example"]
    assert rid in str(press["Subject"]) and str(press["From"]) == "asks@consentry.test"  # type: ignore[index]
    body = message_from_bytes(press.as_bytes()).get_payload()  # type: ignore[attr-defined]
    assert "w_ruth, w_jonah" in str(body) and "ai_training" in str(body)
    assert notify.outbox(ws, unsent=True) == []
    assert notify.deliver(ws, notify.SmtpSender("127.0.0.1", port)).sent == []  # nothing twice


class _Flaky:
    """A sender that fails for one address: that message stays queued with the reason."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, message: OutboxMessage, address: str) -> None:
        if address.startswith("ben@"):
            raise OSError("mailbox unavailable")
        self.sent.append(address)


def test_a_failed_or_addressless_message_stays_queued_with_its_reason(ws: ClockWorkspace) -> None:
    requests.create_request(ws, DEV, terms(ws), work_ids=["w_jonah"])
    requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"])
    sender = _Flaky()
    done = notify.deliver(ws, sender)
    assert sorted(sender.sent) == ["ada@example.org", "rights@lantern.example"]
    queued = notify.outbox(ws, unsent=True)
    assert [m.recipient_id for m in queued] == [BEN]
    assert queued[0].attempts == 1 and "mailbox unavailable" in (queued[0].last_error or "")
    assert list(done.failed.values()) == ["OSError: mailbox unavailable"]
    assert {m.recipient_id for m in notify.outbox(ws)} == {ADA, BEN, PRESS}


def test_a_refused_connection_keeps_the_message(ws: ClockWorkspace) -> None:
    requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    done = notify.deliver(ws, notify.SmtpSender("127.0.0.1", closed_port, timeout_s=5))
    assert done.sent == [] and len(done.failed) == 1
    assert len(notify.outbox(ws, unsent=True)) == 1
