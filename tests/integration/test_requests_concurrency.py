"""Two parties answering the same request at the same moment, on real connections and threads.

Both answers are recorded and the licence is recorded once, by whichever
answer completed the work. A writer that loses a race gets ``ConflictError``
(never a raw database error) and retries; nothing is half-written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from requests_world import ADA, DEV, PRESS, ClockWorkspace, make_world, terms

from consentry.actions import answers, requests
from consentry.actions.log import entries, verify
from consentry.errors import ConflictError
from consentry.licensing import AnswerKind, WorkState
from consentry.store import open_registry
from consentry.store.requests import RequestStore

ROUNDS = 4
RETRIES = 20


@pytest.fixture
def ws(database_url: str) -> Iterator[ClockWorkspace]:
    yield from make_world(database_url)


def _answer_with_retry(ws: ClockWorkspace, rid: str, party: str, start: threading.Barrier) -> str:
    start.wait()
    for _ in range(RETRIES):
        try:
            answers.answer_request(ws, rid, party, AnswerKind.GRANT)
        except ConflictError:
            continue
        return "ok"
    return "gave up"


def test_simultaneous_answers_are_both_recorded_and_license_once(ws: ClockWorkspace) -> None:
    for _ in range(ROUNDS):
        rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
        start = threading.Barrier(2, timeout=30)
        outcomes: dict[str, str] = {}

        def run(
            party: str,
            rid: str = rid,
            start: threading.Barrier = start,
            outcomes: dict[str, str] = outcomes,
        ) -> None:
            try:
                outcomes[party] = _answer_with_retry(ws, rid, party, start)
            except Exception as exc:  # anything else is a failure under test
                outcomes[party] = f"{type(exc).__name__}: {exc}"

        threads = [threading.Thread(target=run, args=(p,), daemon=True) for p in (ADA, PRESS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert outcomes == {ADA: "ok", PRESS: "ok"}
        with open_registry(ws.engine) as reg:
            recorded = RequestStore(reg.conn).answers(rid)
            licences = [lic for lic in reg.list_licences() if "w_ruth" in lic.work_ids]
        assert sorted(a.party_id for a in recorded) == [ADA, PRESS]
        [status] = requests.show_request(ws, rid).works
        assert status.state is WorkState.IN_FORCE
        assert status.licence_id in {lic.id for lic in licences}
        assert len({lic.id for lic in licences}) == len(licences)
    in_force = [e for e in entries(ws) if e.type == "licence.in_force"]
    assert len(in_force) == ROUNDS
    with open_registry(ws.engine) as reg:
        assert len(reg.list_licences()) == ROUNDS
    assert verify(ws).ok
