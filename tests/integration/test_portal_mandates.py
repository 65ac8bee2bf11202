"""Agents answer requests on a creator's mandate in the portal (SQLite and PostgreSQL).

Ada (a creator) gives Lantern (a publisher) a mandate for AI training. A
developer's request for Ada's work then shows on Lantern's requests page, and
Lantern answers it on Ada's behalf, shown plainly as "on behalf of Ada Quill
under mandate m_…". What Ada records herself always wins: her own answer
replaces Lantern's, and once she has answered Lantern cannot. A rightsholder
without the mandate (or whose mandate was revoked) can neither see nor
answer, a post without a CSRF token is refused, and refusals record nothing.
"""

from __future__ import annotations

from fastapi import FastAPI
from portal_client import Visitor
from portal_world import ESCAPED, EVIL, World, ask, world

from consentry.actions import log
from consentry.actions.accounts import find_account
from consentry.actions.mandates import give_mandate, revoke_mandate
from consentry.actions.requests import show_request
from consentry.domain import Use
from consentry.licensing.types import AnswerKind, Authority, PartyState


def _party(app: FastAPI, email: str) -> str:
    party = find_account(app.state.ws, email).party_id
    assert party is not None
    return party


def _mandated(app: FastAPI, name: str = "Lantern Press") -> tuple[World, Visitor, str, str]:
    """Ada's work, Devco's request for it, and Lantern holding Ada's mandate for AI training."""
    w = world(app)
    lantern = Visitor(app)
    lantern.signup("lantern@example.org", "rightsholder", name)
    mandate = give_mandate(
        app.state.ws,
        _party(app, "lantern@example.org"),
        [_party(app, "ada@example.org")],
        [Use.AI_TRAINING],
    )
    return w, lantern, ask(w.dev, w.dataset_id), mandate.id


def _answer(visitor: Visitor, request_id: str, fields: dict[str, str]) -> int:
    page = f"/requests/{request_id}"
    return visitor.post(page, f"{page}/answer", fields).status_code


def test_an_agent_answers_on_the_mandate_and_the_creators_own_answer_wins(app: FastAPI) -> None:
    w, lantern, request_id, mandate_id = _mandated(app, name=EVIL)
    ada = _party(app, "ada@example.org")
    inbox = lantern.get("/requests")
    assert inbox.status_code == 200 and request_id in inbox.text
    assert "on a creator&#39;s mandate" in inbox.text or "on a creator's mandate" in inbox.text
    page = lantern.get(f"/requests/{request_id}").text
    assert f"On behalf of Ada Quill under mandate <code>{mandate_id}</code>" in page
    assert "Send the answer on behalf of Ada Quill" in page and "<h3>Your answer" not in page
    refuse = {
        "work_id": w.work_id,
        "answer": "refuse",
        "reason": "not on these fees",
        "creator": ada,
        "mandate_id": mandate_id,
    }
    assert _answer(lantern, request_id, refuse) == 303
    [answer] = show_request(app.state.ws, request_id).answers
    assert answer.party_id == ada and answer.answered_by == _party(app, "lantern@example.org")
    assert answer.authority is Authority.MANDATE and answer.mandate_id == mandate_id
    assert answer.kind is AnswerKind.REFUSE and answer.reason == "not on these fees"
    for visitor in (w.ada, lantern, w.dev):
        shown = visitor.get(f"/requests/{request_id}").text
        assert "as an agent, on a mandate from the creator" in shown and mandate_id in shown
        assert "<script>" not in shown and ESCAPED in shown  # the agent's name, escaped
    assert "Nothing to answer" in lantern.get(f"/requests/{request_id}").text
    # Ada's own answer replaces her agent's: she says yes herself.
    grant = {"work_id": w.work_id, "answer": "grant"}
    assert _answer(w.ada, request_id, grant) == 303
    mine = next(p for p in show_request(app.state.ws, request_id).works[0].parties)
    assert mine.state is PartyState.GRANTED and mine.answer is not None
    assert mine.answer.authority is Authority.OWN
    before = len(log.entries(app.state.ws))
    again = {**refuse, "reason": "no"}
    assert _answer(lantern, request_id, again) == 400  # her own answer stands
    assert len(log.entries(app.state.ws)) == before


def test_an_agent_cannot_answer_once_the_creator_has(app: FastAPI) -> None:
    w, lantern, request_id, mandate_id = _mandated(app)
    assert _answer(w.ada, request_id, {"work_id": w.work_id, "answer": "grant"}) == 303
    page = lantern.get(f"/requests/{request_id}").text
    assert "Nothing to answer" in page and 'name="mandate_id"' not in page
    before = len(log.entries(app.state.ws))
    fields = {
        "work_id": w.work_id,
        "answer": "refuse",
        "creator": _party(app, "ada@example.org"),
        "mandate_id": mandate_id,
    }
    assert _answer(lantern, request_id, fields) == 400
    assert len(log.entries(app.state.ws)) == before
    [answer] = show_request(app.state.ws, request_id).answers
    assert answer.authority is Authority.OWN and answer.kind is AnswerKind.GRANT


def test_an_agent_counters_with_other_fees_for_the_creator(app: FastAPI) -> None:
    w, lantern, request_id, mandate_id = _mandated(app)
    counter = {
        "work_id": w.work_id,
        "answer": "counter",
        "creator": _party(app, "ada@example.org"),
        "mandate_id": mandate_id,
        "currency": "GBP",
        "fee_per_work": "300.00",
    }
    assert _answer(lantern, request_id, {**counter, "fee_per_work": ""}) == 400  # no fee
    assert _answer(lantern, request_id, counter) == 303
    view = show_request(app.state.ws, request_id)
    [pending] = view.counters
    assert pending.party_id == _party(app, "ada@example.org")
    assert view.answers[0].authority is Authority.MANDATE
    assert "300.00 GBP" in w.dev.get(f"/requests/{request_id}").text


def test_no_mandate_no_answer(app: FastAPI) -> None:
    w, lantern, request_id, mandate_id = _mandated(app)
    harbour, bea = Visitor(app), Visitor(app)
    harbour.signup("harbour@example.org", "rightsholder", "Harbour Books")
    bea.signup("bea@example.org", "creator", "Bea")
    fields = {
        "work_id": w.work_id,
        "answer": "grant",
        "creator": _party(app, "ada@example.org"),
        "mandate_id": mandate_id,
    }
    before = len(log.entries(app.state.ws))
    for stranger in (harbour, bea):
        assert request_id not in stranger.get("/requests").text
        assert stranger.get(f"/requests/{request_id}").status_code == 403
        assert _answer_from(stranger, "/requests", request_id, fields) == 403
    assert _answer(w.dev, request_id, fields) == 403  # the developer answers for nobody
    forged = lantern.client.post(f"/requests/{request_id}/answer", data=fields)
    assert forged.status_code == 403  # no CSRF token
    revoke_mandate(app.state.ws, mandate_id)
    after_revoke = len(log.entries(app.state.ws))
    assert request_id not in lantern.get("/requests").text
    assert lantern.get(f"/requests/{request_id}").status_code == 403
    assert _answer_from(lantern, "/requests", request_id, fields) == 403
    assert len(log.entries(app.state.ws)) == after_revoke == before + 1  # the revocation only
    assert show_request(app.state.ws, request_id).answers == []


def _answer_from(visitor: Visitor, form_page: str, request_id: str, fields: dict[str, str]) -> int:
    return visitor.post(form_page, f"/requests/{request_id}/answer", fields).status_code


def test_a_mandate_for_other_uses_gives_no_answer(app: FastAPI) -> None:
    w = world(app)
    lantern = Visitor(app)
    lantern.signup("lantern@example.org", "rightsholder", "Lantern Press")
    ada = _party(app, "ada@example.org")
    search_only = give_mandate(
        app.state.ws, _party(app, "lantern@example.org"), [ada], [Use.SEARCH]
    )
    request_id = ask(w.dev, w.dataset_id)  # for AI training, which the mandate does not cover
    inbox = lantern.get("/requests")
    assert inbox.status_code == 200 and request_id not in inbox.text
    assert lantern.get(f"/requests/{request_id}").status_code == 403
    fields = {
        "work_id": w.work_id,
        "answer": "grant",
        "creator": ada,
        "mandate_id": search_only.id,
    }
    before = len(log.entries(app.state.ws))
    assert _answer_from(lantern, "/requests", request_id, fields) == 400  # the rules refuse it
    assert len(log.entries(app.state.ws)) == before
    assert show_request(app.state.ws, request_id).answers == []
