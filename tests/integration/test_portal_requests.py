"""Requests in the portal over HTTP, on SQLite and PostgreSQL: answer, counter, withdraw.

A developer asks from its scan page for the works the scan excluded; the
creator reads the terms in words and refuses, grants or counters; the
developer settles counters and withdraws. Nobody else sees or answers a
request, and a refused or forged post records nothing.
"""

from __future__ import annotations

from fastapi import FastAPI
from portal_client import Visitor
from portal_world import ESCAPED, EVIL, TEXTS, ask, scan, world

from consentry.actions import log
from consentry.actions.requests import show_request
from consentry.licensing.types import AnswerKind, RequestStatus, WorkState


def test_a_creator_refuses_a_request_and_the_rescan_still_excludes_the_work(app: FastAPI) -> None:
    w = world(app)
    scan_page = w.dev.get(f"/scans/{w.dataset_id}").text
    assert "Ask for the works this scan left out" in scan_page
    request_id = ask(w.dev, w.dataset_id, purpose=EVIL, ends="2031-01-01")
    inbox = w.ada.get("/requests")
    assert inbox.status_code == 200 and request_id in inbox.text
    assert "1 work" in inbox.text  # waiting for her answer
    assert 'href="/requests"' in w.ada.get("/works").text  # the nav shows Requests
    shown = w.ada.get(f"/requests/{request_id}").text
    assert "150.00 GBP for each work used" in shown
    assert "Training AI models" in shown and "until 01 January 2031" in shown
    assert "<script>" not in shown and ESCAPED in shown
    refused = w.ada.post(
        f"/requests/{request_id}",
        f"/requests/{request_id}/answer",
        {"work_id": w.work_id, "answer": "refuse", "reason": "not for machines"},
    )
    assert refused.status_code == 303, refused.text
    view = show_request(app.state.ws, request_id)
    assert view.works[0].state is WorkState.REFUSED
    assert (
        view.answers[0].kind is AnswerKind.REFUSE and view.answers[0].reason == "not for machines"
    )
    developer_page = w.dev.get(f"/requests/{request_id}").text
    assert "said no" in developer_page and "not for machines" in developer_page
    assert "for themselves" in developer_page  # the authority the answer was given on
    again = w.ada.get(f"/requests/{request_id}").text
    assert "Send my answer" not in again  # an answer stands
    rescan = scan(w.dev, [TEXTS / "ruth.txt"])
    html = w.dev.get(f"/scans/{rescan}").text
    assert "exclude: unlicensed" in html and "exclude: licensed" not in html


def test_a_counter_is_accepted_and_the_licence_comes_into_force(app: FastAPI) -> None:
    w = world(app)
    request_id = ask(w.dev, w.dataset_id, models="")  # any model: the portal's scans name none
    countered = w.ada.post(
        f"/requests/{request_id}",
        f"/requests/{request_id}/answer",
        {"work_id": w.work_id, "answer": "counter", "currency": "GBP", "fee_per_work": "400.00"},
    )
    assert countered.status_code == 303, countered.text
    view = show_request(app.state.ws, request_id)
    assert view.works[0].state is WorkState.COUNTERED
    page = w.dev.get(f"/requests/{request_id}").text
    assert "400.00 GBP for each work used" in page and "Accept these terms" in page
    counter_id = view.counters[0].id
    accepted = w.dev.post(
        f"/requests/{request_id}",
        f"/requests/{request_id}/counter",
        {"counter_id": counter_id, "decision": "accept"},
    )
    assert accepted.status_code == 303, accepted.text
    view = show_request(app.state.ws, request_id)
    assert view.works[0].state is WorkState.IN_FORCE and view.works[0].licence_id
    rescan = scan(w.dev, [TEXTS / "ruth.txt"])
    assert "include: licensed" in w.dev.get(f"/scans/{rescan}").text


def test_a_bad_counter_and_a_missing_answer_record_nothing(app: FastAPI) -> None:
    w = world(app)
    request_id = ask(w.dev, w.dataset_id)
    before = len(log.entries(app.state.ws))
    path = f"/requests/{request_id}"
    bad = w.ada.post(
        path,
        f"{path}/answer",
        {"work_id": w.work_id, "answer": "counter", "currency": "GBP", "fee_per_work": "-1"},
    )
    assert bad.status_code == 400 and "non-negative" in bad.text
    empty = w.ada.post(path, f"{path}/answer", {"work_id": w.work_id, "answer": "counter"})
    assert empty.status_code == 400 and "at least one fee" in empty.text
    nothing = w.ada.post(path, f"{path}/answer", {"work_id": w.work_id})
    assert nothing.status_code == 400
    assert len(log.entries(app.state.ws)) == before
    assert show_request(app.state.ws, request_id).answers == []


def test_nobody_else_sees_or_answers_a_request_and_forged_posts_are_refused(
    app: FastAPI,
) -> None:
    w = world(app)
    request_id = ask(w.dev, w.dataset_id)
    bea, other = Visitor(app), Visitor(app)
    bea.signup("bea@example.org", "creator", "Bea")
    other.signup("other@example.org", "developer", "Other AI")
    before = len(log.entries(app.state.ws))
    path = f"/requests/{request_id}"
    for stranger in (bea, other):
        assert stranger.get(path).status_code == 403
        assert request_id not in stranger.get("/requests").text
        answer = {"work_id": w.work_id, "answer": "grant"}
        assert stranger.post("/requests", f"{path}/answer", answer).status_code == 403
        assert stranger.post("/requests", f"{path}/withdraw", {}).status_code == 403
    assert (
        w.dev.post(path, f"{path}/answer", {"work_id": w.work_id, "answer": "grant"}).status_code
        == 403
    )
    assert w.ada.post(path, f"{path}/withdraw", {}).status_code == 403
    assert (
        other.post("/scans", f"/scans/{w.dataset_id}/request", {"uses": "ai_training"}).status_code
        == 403
    )
    missing = w.ada.client.post(f"{path}/answer", data={"work_id": w.work_id, "answer": "grant"})
    assert missing.status_code == 403
    assert len(log.entries(app.state.ws)) == before
    assert show_request(app.state.ws, request_id).answers == []
    withdrawn = w.dev.post(path, f"{path}/withdraw", {})
    assert withdrawn.status_code == 303
    assert show_request(app.state.ws, request_id).status is RequestStatus.WITHDRAWN
    late = w.ada.post(path, f"{path}/answer", {"work_id": w.work_id, "answer": "grant"})
    assert late.status_code in {400, 403}
