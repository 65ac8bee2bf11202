"""Requests on a real database: every party answers, licences come into force.

Bad input is refused with a clear error and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from requests_world import ADA, BEN, DEV, PRESS, SOCIETY, ClockWorkspace, make_world, terms

from consentry.actions import answers, requests
from consentry.actions.consent import consent_report, set_consent
from consentry.actions.log import entries
from consentry.actions.mandates import give_mandate
from consentry.domain import ConsentState, Reason, Use
from consentry.errors import InvalidInput, NotFound
from consentry.fees import fee_terms_from_dict
from consentry.licensing import AnswerKind, Authority, CounterState, PartyState, WorkState
from consentry.store import open_registry
from consentry.store.requests import RequestStore

G, R, C = AnswerKind.GRANT, AnswerKind.REFUSE, AnswerKind.COUNTER


@pytest.fixture
def ws(database_url: str) -> Iterator[ClockWorkspace]:
    yield from make_world(database_url)


def _log_types(ws: ClockWorkspace) -> list[str]:
    return [e.type for e in entries(ws)]


def _snapshot(ws: ClockWorkspace, request_id: str) -> tuple[int, int, int, int]:
    with open_registry(ws.engine) as reg:
        store = RequestStore(reg.conn)
        return (
            len(store.answers(request_id)),
            len(store.counters(request_id)),
            reg.log_size(),
            len(reg.list_licences()),
        )


def _state(ws: ClockWorkspace, request_id: str) -> dict[str, WorkState]:
    return {s.work_id: s.state for s in requests.show_request(ws, request_id).works}


def test_a_licence_comes_into_force_only_when_every_party_granted(ws: ClockWorkspace) -> None:
    made = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth", "w_jonah"])
    rid = made.request.id
    assert _state(ws, rid) == {"w_ruth": WorkState.PENDING, "w_jonah": WorkState.PENDING}
    first = answers.answer_request(ws, rid, ADA, G)
    assert first.licences == [] and first.works[0].waiting_for == (PRESS,)
    assert consent_report(ws, "w_ruth", developer_ref=DEV).decision.reason is Reason.UNLICENSED
    second = answers.answer_request(ws, rid, PRESS, G)
    [licence] = second.licences  # Ruth only: Ben has not answered for Jonah
    assert licence.work_ids == {"w_ruth"} and licence.licensee_id == DEV
    assert {(g.work_id, g.party_id) for g in licence.grants} == {("w_ruth", ADA), ("w_ruth", PRESS)}
    assert licence.fee_terms == terms(ws).fee_terms and licence.models == {"summ-1"}
    assert _state(ws, rid) == {"w_ruth": WorkState.IN_FORCE, "w_jonah": WorkState.PENDING}
    report = consent_report(ws, "w_ruth", developer_ref=DEV, model="summ-1", at=ws.clock[0])
    assert report.decision.reason is Reason.LICENSED and report.decision.licence_id == licence.id
    types = _log_types(ws)
    assert types.count("request.sent") == 1 and types.count("request.answered") == 2
    assert types[-2:] == ["licence.granted", "licence.in_force"]


def test_every_party_that_must_answer_gets_a_message(ws: ClockWorkspace) -> None:
    made = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth", "w_jonah"])
    with open_registry(ws.engine) as reg:
        queued = RequestStore(reg.conn).messages(unsent=True)
    assert sorted(m.recipient_id for m in queued) == [ADA, BEN, PRESS]
    press = next(m for m in queued if m.recipient_id == PRESS)
    assert "w_ruth, w_jonah" in press.body and made.request.id in press.subject


def test_a_refusal_is_visible_per_work_and_party_with_its_authority(ws: ClockWorkspace) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth", "w_jonah"]).request.id
    answers.answer_request(ws, rid, PRESS, G)
    answers.answer_request(ws, rid, BEN, R, reason="not for AI")
    view = requests.show_request(ws, rid)
    jonah = next(s for s in view.works if s.work_id == "w_jonah")
    assert jonah.state is WorkState.REFUSED
    states = {p.party_id: p.state for p in jonah.parties}
    assert states == {BEN: PartyState.REFUSED, PRESS: PartyState.GRANTED}
    ben = next(p for p in jonah.parties if p.party_id == BEN)
    assert ben.answer is not None and ben.answer.reason == "not for AI"
    assert ben.answer.authority is Authority.OWN and ben.answer.answered_by == BEN


@pytest.mark.parametrize(
    ("who", "kind", "match"),
    [
        (BEN, G, "not a creator or rightsholder of any work"),
        (DEV, G, "not a creator or rightsholder of any work"),
    ],
)
def test_an_answer_from_a_non_party_is_refused_and_changes_nothing(
    ws: ClockWorkspace, who: str, kind: AnswerKind, match: str
) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    before = _snapshot(ws, rid)
    with pytest.raises(InvalidInput, match=match):
        answers.answer_request(ws, rid, who, kind)
    with pytest.raises(InvalidInput, match="not a creator or rightsholder of w_ruth"):
        answers.answer_request(ws, rid, SOCIETY, G, work_ids=["w_ruth"])
    assert _snapshot(ws, rid) == before


def test_answering_twice_is_an_error_and_changes_nothing(ws: ClockWorkspace) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    answers.answer_request(ws, rid, ADA, G)
    before = _snapshot(ws, rid)
    with pytest.raises(InvalidInput, match="already answered grant"):
        answers.answer_request(ws, rid, ADA, R)
    assert _snapshot(ws, rid) == before


def test_withdrawn_and_expired_requests_take_no_answers(ws: ClockWorkspace) -> None:
    withdrawn = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    requests.withdraw_request(ws, withdrawn)
    with pytest.raises(InvalidInput, match="is withdrawn"):
        answers.answer_request(ws, withdrawn, ADA, G)
    with pytest.raises(InvalidInput, match="already withdrawn"):
        requests.withdraw_request(ws, withdrawn)
    deadline = ws.clock[0] + timedelta(days=7)
    expiring = requests.create_request(
        ws, DEV, terms(ws), work_ids=["w_solo"], answer_by=deadline
    ).request.id
    with pytest.raises(InvalidInput, match="not in the future"):
        requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"], answer_by=ws.clock[0])
    ws.advance(timedelta(days=8))
    before = _snapshot(ws, expiring)
    with pytest.raises(InvalidInput, match="is expired"):
        answers.answer_request(ws, expiring, ADA, G)
    assert _snapshot(ws, expiring) == before
    assert "request.withdrawn" in _log_types(ws)
    with pytest.raises(NotFound):
        answers.answer_request(ws, "req_missing", ADA, G)


def test_a_counter_accepted_puts_new_terms_to_every_party(ws: ClockWorkspace) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    answers.answer_request(ws, rid, ADA, G)
    higher = terms(ws, fee_terms=fee_terms_from_dict({"currency": "GBP", "per_work": "250.00"}))
    [counter] = answers.answer_request(ws, rid, PRESS, C, counter_terms=higher).counters
    assert _state(ws, rid) == {"w_ruth": WorkState.COUNTERED}
    accepted = answers.accept(ws, rid, counter_id=counter.id)
    assert accepted.licences == []  # Ada granted the old terms: she is asked again
    [ruth] = accepted.works
    assert ruth.terms_id == counter.id and ruth.waiting_for == (ADA,)
    done = answers.answer_request(ws, rid, ADA, G)
    [licence] = done.licences
    assert licence.fee_terms is not None and str(licence.fee_terms.per_work) == "250.00"
    assert "request.counter_answered" in _log_types(ws)


def test_accepting_a_superseded_or_settled_counter_is_an_error(ws: ClockWorkspace) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    more = terms(ws, attribution="name the press first")
    [from_ada] = answers.answer_request(ws, rid, ADA, C, counter_terms=more).counters
    [from_press] = answers.answer_request(ws, rid, PRESS, C, counter_terms=more).counters
    answers.accept(ws, rid, counter_id=from_press.id)
    view = requests.show_request(ws, rid)
    assert {c.id: c.state for c in view.counters} == {
        from_ada.id: CounterState.SUPERSEDED,
        from_press.id: CounterState.ACCEPTED,
    }
    before = _snapshot(ws, rid)
    with pytest.raises(InvalidInput, match="was superseded"):
        answers.accept(ws, rid, counter_id=from_ada.id)
    with pytest.raises(InvalidInput, match="was accepted"):
        answers.accept(ws, rid, counter_id=from_press.id, refuse=True)
    with pytest.raises(InvalidInput, match="your own request"):
        answers.accept(ws, rid)
    assert _snapshot(ws, rid) == before


def test_a_refused_counter_lets_the_party_answer_again(ws: ClockWorkspace) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"]).request.id
    [counter] = answers.answer_request(ws, rid, ADA, C, counter_terms=terms(ws)).counters
    refused = answers.accept(ws, rid, counter_id=counter.id, refuse=True)
    assert refused.counters[0].state is CounterState.REFUSED
    assert _state(ws, rid) == {"w_solo": WorkState.PENDING}
    assert answers.answer_request(ws, rid, ADA, G).licences


def test_an_agent_answers_on_a_mandate_and_the_creator_s_own_word_wins(
    ws: ClockWorkspace,
) -> None:
    mandate = give_mandate(ws, SOCIETY, [ADA], [Use.AI_TRAINING])
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"]).request.id
    with pytest.raises(InvalidInput, match="without a mandate"):
        answers.answer_request(ws, rid, ADA, G, answered_by=SOCIETY)
    with pytest.raises(InvalidInput, match="does not authorise"):
        answers.answer_request(ws, rid, ADA, G, answered_by=PRESS, mandate_id=mandate.id)
    by_agent = answers.answer_request(ws, rid, ADA, R, answered_by=SOCIETY, mandate_id=mandate.id)
    ada = by_agent.works[0].parties[0]
    assert ada.state is PartyState.REFUSED and ada.answer is not None
    assert ada.answer.authority is Authority.MANDATE and ada.answer.mandate_id == mandate.id
    own = answers.answer_request(ws, rid, ADA, G)  # the creator's own answer replaces the agent's
    assert own.licences and own.works[0].parties[0].answer.authority is Authority.OWN  # type: ignore[union-attr]


def test_a_mandate_never_overrides_what_the_creator_recorded(ws: ClockWorkspace) -> None:
    mandate = give_mandate(ws, SOCIETY, [ADA], [Use.AI_TRAINING])
    set_consent(ws, "w_solo", ADA, Use.AI_TRAINING, ConsentState.GRANTED)
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_solo"]).request.id
    with pytest.raises(InvalidInput, match="a mandate never overrides"):
        answers.answer_request(ws, rid, ADA, R, answered_by=SOCIETY, mandate_id=mandate.id)


def test_withheld_wins_over_any_grant(ws: ClockWorkspace) -> None:
    set_consent(ws, "w_ruth", ADA, Use.GENAI_TRAINING, ConsentState.WITHHELD)
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    with pytest.raises(InvalidInput, match="withheld always wins"):
        answers.answer_request(ws, rid, ADA, G)
    result = answers.answer_request(ws, rid, PRESS, G)
    assert result.licences == [] and result.works[0].state is WorkState.WITHHELD


def test_a_refused_work_is_not_asked_for_again_without_the_creator_s_opt_in(
    ws: ClockWorkspace,
) -> None:
    rid = requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    answers.answer_request(ws, rid, ADA, R)
    with pytest.raises(InvalidInput, match="w_ruth refused by p_ada \\(ask again: never\\)"):
        requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"])
    bulk = requests.create_request(ws, DEV, terms(ws), catalogue_of=PRESS)
    assert bulk.request.work_ids == ("w_jonah",)
    assert [(s.work_id, s.why) for s in bulk.skipped] == [("w_ruth", "refused")]
    # A different use unrelated to training may be asked for.
    requests.create_request(ws, DEV, terms(ws, uses=frozenset({Use.SEARCH})), work_ids=["w_ruth"])
    requests.set_preference(ws, ADA, ask_again_days=30, ask_when_withheld=False)
    with pytest.raises(InvalidInput, match="ask again: 20"):
        requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"])
    ws.advance(timedelta(days=31))
    assert requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"]).request.work_ids


def test_withheld_works_are_left_out_of_bulk_requests_unless_the_party_asks(
    ws: ClockWorkspace,
) -> None:
    set_consent(ws, "w_jonah", BEN, Use.DATA_MINING, ConsentState.WITHHELD)
    bulk = requests.create_request(ws, DEV, terms(ws), catalogue_of=PRESS)
    assert bulk.request.work_ids == ("w_ruth",)
    assert [(s.work_id, s.party_id, s.why) for s in bulk.skipped] == [("w_jonah", BEN, "withheld")]
    requests.set_preference(ws, BEN, ask_again_days=None, ask_when_withheld=True)
    again = requests.create_request(ws, DEV, terms(ws), catalogue_of=PRESS)
    assert again.request.work_ids == ("w_jonah", "w_ruth") and again.skipped == []


def test_a_request_built_from_a_scan_names_the_works_it_excluded(
    ws: ClockWorkspace, tmp_path: pytest.TempPathFactory
) -> None:
    import json
    from pathlib import Path

    out = Path(str(tmp_path)) / "scan"
    out.mkdir()
    rows = [
        {"item_id": "a", "decision": "exclude", "reasons": ["unlicensed"], "work_id": "w_ruth"},
        {"item_id": "b", "decision": "exclude", "reasons": ["unassured"], "work_id": "w_solo"},
        {"item_id": "c", "decision": "exclude", "reasons": ["withheld"], "work_id": "w_jonah"},
        {"item_id": "d", "decision": "include", "reasons": ["licensed:x"], "work_id": "w_jonah"},
        {"item_id": "e", "decision": "exclude", "reasons": ["unknown"], "work_id": None},
        {"item_id": "f", "decision": "exclude", "reasons": ["unlicensed"], "work_id": "w_ruth"},
    ]
    (out / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    made = requests.create_request(ws, DEV, terms(ws), from_scan=out)
    assert made.request.work_ids == ("w_ruth", "w_solo") and made.request.source == "scan"
    with pytest.raises(NotFound, match="no scan manifest"):
        requests.create_request(ws, DEV, terms(ws), from_scan=out / "missing")
    with pytest.raises(InvalidInput, match="one way"):
        requests.create_request(ws, DEV, terms(ws), work_ids=["w_ruth"], catalogue_of=PRESS)
