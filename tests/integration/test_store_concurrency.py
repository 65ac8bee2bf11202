"""Concurrent consent writers: the per-work version lets no change be silently lost.

Real connections, real transactions and real threads on the real database. A
writer that read a version someone else has since moved gets ``ConflictError``
(with its hint) and writes nothing; it never gets a raw database error.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from consentry.domain import Consent, ConsentState, Party, PartyKind, Use, Work, WorkKind
from consentry.errors import ConflictError
from consentry.store import Registry, open_registry

T0 = datetime(2024, 1, 1, tzinfo=UTC)
WORK = "w_contested"
THREADS = 4
ATTEMPTS = 10
JOIN_TIMEOUT_S = 60


@pytest.fixture
def contested(engine: Engine) -> Engine:
    """One work with THREADS creators, no consent recorded yet."""
    creators = [Party(f"c{i}", f"Creator {i}", PartyKind.CREATOR) for i in range(THREADS)]
    with open_registry(engine) as reg:
        reg.add_parties(creators)
        reg.add_works([Work(WORK, "Contested", WorkKind.TEXT)])
    return engine


def _consent(party: str, evidence: str) -> Consent:
    return Consent(party, WORK, Use.AI_TRAINING, ConsentState.GRANTED, T0, party, evidence=evidence)


def _history(engine: Engine) -> list[Consent]:
    with open_registry(engine) as reg:
        return reg.consents_for(WORK)


def _version(engine: Engine) -> int:
    with open_registry(engine) as reg:
        return reg.work_consent_version(WORK)


def test_a_stale_writer_gets_conflict_and_writes_nothing(contested: Engine) -> None:
    with contested.connect() as first_conn, contested.connect() as second_conn:
        first_tx, second_tx = first_conn.begin(), second_conn.begin()
        first, second = Registry(first_conn), Registry(second_conn)
        seen_by_first = first.work_consent_version(WORK)
        seen_by_second = second.work_consent_version(WORK)
        assert seen_by_first == seen_by_second == 0

        assert first.record_consent(_consent("c0", "first"), expected_version=seen_by_first) == 1
        first_tx.commit()

        with pytest.raises(ConflictError) as conflict:
            second.record_consent(_consent("c1", "second"), expected_version=seen_by_second)
        second_tx.rollback()

    assert conflict.value.hint is not None and "try again" in conflict.value.hint
    assert "nothing was written" in conflict.value.message
    history = _history(contested)
    assert [c.evidence for c in history] == ["first"]
    assert _version(contested) == 1

    # The loser re-reads and tries again: now it wins.
    with open_registry(contested) as reg:
        version = reg.work_consent_version(WORK)
        assert reg.record_consent(_consent("c1", "second"), expected_version=version) == 2
    assert [c.evidence for c in _history(contested)] == ["first", "second"]


def test_a_stale_version_in_a_fresh_transaction_is_a_conflict(contested: Engine) -> None:
    with open_registry(contested) as reg:
        reg.record_consent(_consent("c0", "a"))
    with pytest.raises(ConflictError), open_registry(contested) as reg:
        reg.record_consent(_consent("c1", "b"), expected_version=0)
    assert [c.evidence for c in _history(contested)] == ["a"]
    assert _version(contested) == 1


def test_a_writer_blocked_by_another_gets_conflict_not_a_database_error(
    contested: Engine,
) -> None:
    """Not only consent: any unit of work that loses a race says so, and rolls back.

    SQLite: a transaction that has read and then wants to write while another
    connection holds the write lock fails at once ("database is locked").
    PostgreSQL (here under SERIALIZABLE, where it happens at commit): two
    transactions that each read what the other writes cannot both commit.
    """
    serializable = contested.dialect.name == "postgresql"
    engine = (
        contested.execution_options(isolation_level="SERIALIZABLE") if serializable else contested
    )
    with engine.connect() as holder_conn:
        holder_tx = holder_conn.begin()
        holder = Registry(holder_conn)
        holder.list_parties()
        holder.add_party(Party("p_holder", "Holder", PartyKind.CREATOR))
        with pytest.raises(ConflictError) as conflict, open_registry(engine) as reg:
            reg.list_parties()
            try:
                reg.add_party(Party("p_loser", "Loser", PartyKind.CREATOR))  # SQLite fails here
            finally:
                holder_tx.commit()  # PostgreSQL: the loser fails when it commits, next
    assert conflict.value.hint is not None and "try again" in conflict.value.hint
    assert "nothing was written" in conflict.value.message
    with open_registry(contested) as reg:
        ids = {p.id for p in reg.list_parties()}
    assert "p_holder" in ids and "p_loser" not in ids


def test_a_consent_for_an_unknown_party_is_not_reported_as_a_conflict(
    contested: Engine,
) -> None:
    # A foreign-key failure is not a race: "re-read and try again" would fail forever.
    with pytest.raises(IntegrityError), open_registry(contested) as reg:
        reg.record_consent(_consent("ghost", "x"))
    assert _history(contested) == [] and _version(contested) == 0


def _run_threads(target: Callable[[int], None], count: int) -> None:
    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(JOIN_TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a writer hung"


def test_racing_writers_in_lockstep_exactly_one_wins_each_round(contested: Engine) -> None:
    """All threads read the same version, then all write: one commit per round, no more."""
    read_done = threading.Barrier(THREADS, timeout=30)
    round_done = threading.Barrier(THREADS, timeout=30)
    outcomes: list[tuple[int, int, str]] = []  # (round, thread, outcome)
    lock = threading.Lock()

    def writer(me: int) -> None:
        for attempt in range(ATTEMPTS):
            outcome = "ok"
            try:
                with open_registry(contested) as reg:
                    seen = reg.work_consent_version(WORK)
                    read_done.wait()
                    reg.record_consent(_consent(f"c{me}", f"{me}/{attempt}"), expected_version=seen)
            except ConflictError as exc:
                outcome = "conflict" if exc.hint else "conflict without hint"
            except threading.BrokenBarrierError:
                outcome = "barrier broken"
            except Exception as exc:  # anything else is a failure of the store
                outcome = f"{type(exc).__name__}: {exc}"
            with lock:
                outcomes.append((attempt, me, outcome))
            try:
                round_done.wait()
            except threading.BrokenBarrierError:
                return
            if outcome not in ("ok", "conflict"):
                read_done.abort()
                round_done.abort()
                return

    _run_threads(writer, THREADS)
    unexpected = [o for o in outcomes if o[2] not in ("ok", "conflict")]
    assert unexpected == []
    assert len(outcomes) == THREADS * ATTEMPTS
    winners = Counter(attempt for attempt, _, outcome in outcomes if outcome == "ok")
    assert winners == dict.fromkeys(range(ATTEMPTS), 1)

    history = _history(contested)
    won = sorted(f"{me}/{attempt}" for attempt, me, outcome in outcomes if outcome == "ok")
    assert sorted(c.evidence or "" for c in history) == won
    assert len(history) == ATTEMPTS == _version(contested)


def test_free_running_writers_lose_nothing(contested: Engine) -> None:
    """Threads read, write and commit as fast as they can; every commit is in the history."""
    committed: list[str] = []
    conflicts: list[int] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS, timeout=30)

    def writer(me: int) -> None:
        start.wait()
        for attempt in range(ATTEMPTS):
            tag = f"{me}/{attempt}"
            try:
                with contested.connect() as conn, conn.begin():
                    reg = Registry(conn)
                    seen = reg.work_consent_version(WORK)
                    reg.record_consent(_consent(f"c{me}", tag), expected_version=seen)
            except ConflictError:
                with lock:
                    conflicts.append(me)
                continue
            except Exception as exc:  # anything else is a failure of the store
                with lock:
                    failures.append(f"{tag}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                committed.append(tag)

    _run_threads(writer, THREADS)
    assert failures == []
    assert len(committed) + len(conflicts) == THREADS * ATTEMPTS
    assert committed, "at least one writer must get through"
    history = _history(contested)
    assert sorted(c.evidence or "" for c in history) == sorted(committed)
    assert len(history) == len(committed) == _version(contested)
