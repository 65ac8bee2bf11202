"""Requests with their works, answers, counters, the parties' preferences and the outbox.

Every change to a request starts with :meth:`RequestStore.lock`, a
compare-free ``UPDATE`` of its version: PostgreSQL makes a second writer wait
for the first to commit, SQLite's write lock does the same, so two answers at
the same moment are applied one after the other and the licence state is
computed once, on what both wrote.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, and_, insert, select, update

from consentry.errors import NotFound
from consentry.licensing.notify import OutboxMessage
from consentry.licensing.selection import Refusal
from consentry.licensing.terms import terms_from_dict, terms_to_dict
from consentry.licensing.types import (
    Answer,
    AnswerKind,
    Authority,
    Counter,
    CounterState,
    LicenceRequest,
    Origin,
    Preference,
    Terms,
)
from consentry.store.tables_requests import (
    outbox,
    request_answers,
    request_counters,
    request_preferences,
    request_works,
    requests,
)


def _dump(terms: Terms) -> str:
    return json.dumps(terms_to_dict(terms), sort_keys=True)


class RequestStore:
    """Reads and writes requests over one connection (inside the caller's unit of work)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self, request_id: str) -> None:
        """Take the request for this unit of work; :class:`NotFound` when there is none."""
        bump = (
            update(requests)
            .where(requests.c.id == request_id)
            .values(version=requests.c.version + 1)
        )
        if self.conn.execute(bump).rowcount != 1:
            raise NotFound(f"no request {request_id!r}", hint="see `consentry requests list`")

    def add_request(self, request: LicenceRequest) -> None:
        """Insert a request and its works (each on the request's own terms)."""
        self.conn.execute(
            insert(requests).values(
                id=request.id,
                developer_id=request.developer_id,
                origin=request.origin.value,
                offered_by=request.offered_by,
                source=request.source,
                terms=_dump(request.terms),
                answer_by=request.answer_by,
                developer_accepted_at=request.developer_accepted_at,
                renews=request.renews,
                created_at=request.created_at,
            )
        )
        rows = [
            {"request_id": request.id, "work_id": w, "position": i, "terms_id": "base"}
            for i, w in enumerate(request.work_ids)
        ]
        self.conn.execute(insert(request_works), rows)

    def get_request(self, request_id: str) -> LicenceRequest:
        """The request with this id, or :class:`NotFound`."""
        row = self.conn.execute(select(requests).where(requests.c.id == request_id)).mappings()
        head = row.one_or_none()
        if head is None:
            raise NotFound(f"no request {request_id!r}", hint="see `consentry requests list`")
        return self._request(head)

    def list_requests(self, *, developer_id: str | None = None) -> list[LicenceRequest]:
        """Requests by creation time, optionally of one developer."""
        query = select(requests).order_by(requests.c.created_at, requests.c.id)
        if developer_id is not None:
            query = query.where(requests.c.developer_id == developer_id)
        return [self._request(h) for h in self.conn.execute(query).mappings()]

    def _request(self, head: RowMapping) -> LicenceRequest:
        query = (
            select(request_works.c.work_id)
            .where(request_works.c.request_id == head["id"])
            .order_by(request_works.c.position)
        )
        return LicenceRequest(
            id=head["id"],
            developer_id=head["developer_id"],
            terms=terms_from_dict(json.loads(head["terms"])),
            work_ids=tuple(self.conn.execute(query).scalars()),
            created_at=head["created_at"],
            origin=Origin(head["origin"]),
            source=head["source"],
            answer_by=head["answer_by"],
            offered_by=head["offered_by"],
            developer_accepted_at=head["developer_accepted_at"],
            renews=head["renews"],
            withdrawn_at=head["withdrawn_at"],
        )

    def work_terms(self, request_id: str) -> dict[str, tuple[str, str | None]]:
        """For each work of the request: the terms id on the table and its licence, if any."""
        query = select(request_works).where(request_works.c.request_id == request_id)
        return {
            r["work_id"]: (r["terms_id"], r["licence_id"])
            for r in self.conn.execute(query).mappings()
        }

    def request_of_licence(self, licence_id: str) -> tuple[str, str] | None:
        """The request and terms id that brought a licence into force, if a request did."""
        query = select(request_works.c.request_id, request_works.c.terms_id).where(
            request_works.c.licence_id == licence_id
        )
        row = self.conn.execute(query.limit(1)).first()
        return None if row is None else (str(row[0]), str(row[1]))

    def set_work_terms(self, request_id: str, work_id: str, terms_id: str) -> None:
        """Put other terms (an accepted counter) on the table for one work."""
        self.conn.execute(
            update(request_works)
            .where(request_works.c.request_id == request_id, request_works.c.work_id == work_id)
            .values(terms_id=terms_id)
        )

    def set_licence(self, request_id: str, work_ids: Iterable[str], licence_id: str) -> None:
        """Record the licence that brought these works of the request into force."""
        self.conn.execute(
            update(request_works)
            .where(
                request_works.c.request_id == request_id,
                request_works.c.work_id.in_(sorted(work_ids)),
            )
            .values(licence_id=licence_id)
        )

    def set_accepted(self, request_id: str, at: datetime) -> None:
        """The developer accepted the terms (an offer) at ``at``."""
        query = update(requests).where(requests.c.id == request_id)
        self.conn.execute(query.values(developer_accepted_at=at))

    def set_withdrawn(self, request_id: str, at: datetime) -> None:
        """The developer withdrew the request at ``at``."""
        self.conn.execute(
            update(requests).where(requests.c.id == request_id).values(withdrawn_at=at)
        )

    def add_answers(self, answers: Iterable[Answer]) -> None:
        """Record answers."""
        rows = [_answer_row(a) for a in answers]
        if rows:
            self.conn.execute(insert(request_answers), rows)

    def supersede_answers(
        self, request_id: str, work_id: str, party_id: str, terms_id: str, at: datetime
    ) -> None:
        """Mark the party's standing answers to these terms replaced at ``at``."""
        table = request_answers
        self.conn.execute(
            update(table)
            .where(
                table.c.request_id == request_id,
                table.c.work_id == work_id,
                table.c.party_id == party_id,
                table.c.terms_id == terms_id,
                table.c.superseded_at.is_(None),
            )
            .values(superseded_at=at)
        )

    def answers(self, request_id: str) -> list[Answer]:
        """Every answer to the request, in recording order."""
        query = select(request_answers).where(request_answers.c.request_id == request_id)
        return [
            _answer(r) for r in self.conn.execute(query.order_by(request_answers.c.id)).mappings()
        ]

    def add_counter(self, counter: Counter) -> None:
        """Record a counter."""
        self.conn.execute(
            insert(request_counters).values(
                id=counter.id,
                request_id=counter.request_id,
                work_id=counter.work_id,
                party_id=counter.party_id,
                terms=_dump(counter.terms),
                state=counter.state.value,
                created_at=counter.created_at,
                decided_at=counter.decided_at,
            )
        )

    def set_counter_state(self, counter_id: str, state: CounterState, at: datetime) -> None:
        """Settle a counter: accepted, refused or superseded at ``at``."""
        query = update(request_counters).where(request_counters.c.id == counter_id)
        self.conn.execute(query.values(state=state.value, decided_at=at))

    def counters(self, request_id: str) -> list[Counter]:
        """Every counter to the request, oldest first."""
        table = request_counters
        query = select(table).where(table.c.request_id == request_id)
        rows = self.conn.execute(query.order_by(table.c.created_at, table.c.id)).mappings()
        return [_counter(r) for r in rows]

    def get_counter(self, counter_id: str) -> Counter:
        """The counter with this id, or :class:`NotFound`."""
        query = select(request_counters).where(request_counters.c.id == counter_id)
        row = self.conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFound(f"no counter {counter_id!r}", hint="see `consentry requests show`")
        return _counter(row)

    def refusals(self, developer_id: str, work_ids: Iterable[str]) -> list[tuple[Refusal, Terms]]:
        """Standing refusals of these works to this developer, with the terms refused."""
        joined = request_answers.join(requests, request_answers.c.request_id == requests.c.id)
        query = (
            select(request_answers, requests.c.terms.label("request_terms"))
            .select_from(joined)
            .where(
                and_(
                    requests.c.developer_id == developer_id,
                    request_answers.c.kind == AnswerKind.REFUSE.value,
                    request_answers.c.superseded_at.is_(None),
                    request_answers.c.work_id.in_(sorted(set(work_ids))),
                )
            )
        )
        return [
            (
                Refusal(r["work_id"], r["party_id"], r["answered_at"]),
                terms_from_dict(json.loads(r["request_terms"])),
            )
            for r in self.conn.execute(query).mappings()
        ]

    def preferences(self, party_ids: Iterable[str]) -> dict[str, Preference]:
        """The recorded preferences of these parties (absent: the defaults)."""
        table = request_preferences
        query = select(table).where(table.c.party_id.in_(sorted(set(party_ids))))
        return {
            r["party_id"]: Preference(
                r["party_id"], r["ask_again_days"], bool(r["ask_when_withheld"])
            )
            for r in self.conn.execute(query).mappings()
        }

    def set_preference(self, preference: Preference, at: datetime) -> None:
        """Record a party's preference, replacing any earlier one."""
        table = request_preferences
        values = {
            "ask_again_days": preference.ask_again_days,
            "ask_when_withheld": int(preference.ask_when_withheld),
            "updated_at": at,
        }
        changed = self.conn.execute(
            update(table).where(table.c.party_id == preference.party_id).values(**values)
        )
        if changed.rowcount == 0:
            self.conn.execute(insert(table).values(party_id=preference.party_id, **values))

    def add_messages(self, messages: Iterable[OutboxMessage]) -> None:
        """Queue messages in the outbox."""
        rows = [
            {
                "id": m.id,
                "recipient_id": m.recipient_id,
                "request_id": m.request_id,
                "topic": m.topic,
                "subject": m.subject,
                "body": m.body,
                "created_at": m.created_at,
            }
            for m in messages
        ]
        if rows:
            self.conn.execute(insert(outbox), rows)

    def messages(
        self, *, unsent: bool = False, recipient_id: str | None = None
    ) -> list[OutboxMessage]:
        """Messages in the outbox, oldest first."""
        query = select(outbox).order_by(outbox.c.created_at, outbox.c.id)
        if unsent:
            query = query.where(outbox.c.sent_at.is_(None))
        if recipient_id is not None:
            query = query.where(outbox.c.recipient_id == recipient_id)
        return [_message(r) for r in self.conn.execute(query).mappings()]

    def mark_sent(self, message_id: str, at: datetime) -> None:
        """The message was delivered at ``at``."""
        query = update(outbox).where(outbox.c.id == message_id)
        self.conn.execute(query.values(sent_at=at, attempts=outbox.c.attempts + 1, last_error=None))

    def mark_failed(self, message_id: str, error: str) -> None:
        """A delivery attempt failed; the message stays queued."""
        query = update(outbox).where(outbox.c.id == message_id)
        self.conn.execute(query.values(attempts=outbox.c.attempts + 1, last_error=error[:500]))


def _answer_row(a: Answer) -> dict[str, Any]:
    return {
        "request_id": a.request_id,
        "work_id": a.work_id,
        "party_id": a.party_id,
        "kind": a.kind.value,
        "terms_id": a.terms_id,
        "answered_by": a.answered_by,
        "authority": a.authority.value,
        "mandate_id": a.mandate_id,
        "reason": a.reason,
        "counter_id": a.counter_id,
        "answered_at": a.answered_at,
        "superseded_at": a.superseded_at,
    }


def _answer(r: RowMapping) -> Answer:
    return Answer(
        request_id=r["request_id"],
        work_id=r["work_id"],
        party_id=r["party_id"],
        kind=AnswerKind(r["kind"]),
        terms_id=r["terms_id"],
        answered_by=r["answered_by"],
        authority=Authority(r["authority"]),
        answered_at=r["answered_at"],
        mandate_id=r["mandate_id"],
        reason=r["reason"],
        counter_id=r["counter_id"],
        superseded_at=r["superseded_at"],
    )


def _counter(r: RowMapping) -> Counter:
    return Counter(
        id=r["id"],
        request_id=r["request_id"],
        work_id=r["work_id"],
        party_id=r["party_id"],
        terms=terms_from_dict(json.loads(r["terms"])),
        created_at=r["created_at"],
        state=CounterState(r["state"]),
        decided_at=r["decided_at"],
    )


def _message(r: RowMapping) -> OutboxMessage:
    return OutboxMessage(
        id=r["id"],
        recipient_id=r["recipient_id"],
        topic=r["topic"],
        subject=r["subject"],
        body=r["body"],
        created_at=r["created_at"],
        request_id=r["request_id"],
        sent_at=r["sent_at"],
        attempts=r["attempts"],
        last_error=r["last_error"],
    )
