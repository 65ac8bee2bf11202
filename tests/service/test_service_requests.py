"""Requests and answers over HTTP: ask, counter, accept, refuse, withdraw, answer as an agent."""

from __future__ import annotations

import httpx
from service_live import Live
from test_service_api import csrf, register_poem

TERMS = {"uses": ["ai_training"], "purpose": "a small poetry model"}


def _ask(live: Live, dev: httpx.Client, work_id: str) -> dict:
    response = dev.post(
        "/api/v1/requests", json={"works": [work_id], "terms": TERMS}, headers=csrf(live, dev)
    )
    assert response.status_code == 201, response.text
    return response.json()["request"]


def test_counter_then_accept_puts_a_licence_in_force(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    _, other = live.account("developer", "Other")
    _, bob = live.account("creator", "Bob")
    work = register_poem(live, client, ada.party_id)
    req = _ask(live, d, work["id"])
    assert req["developer_id"] == dev.party_id and req["status"] == "open"
    assert req["works"] == [work["id"]] and req["terms"]["uses"] == ["ai_training"]
    assert [r["id"] for r in client.get("/api/v1/requests").json()] == [req["id"]]
    assert [r["id"] for r in d.get("/api/v1/requests").json()] == [req["id"]]
    assert other.get("/api/v1/requests").json() == []
    assert bob.get("/api/v1/requests").json() == []
    assert other.get(f"/api/v1/requests/{req['id']}").status_code == 403
    assert bob.get(f"/api/v1/requests/{req['id']}").status_code == 403

    countered = client.post(
        f"/api/v1/requests/{req['id']}/answers",
        json={
            "party": ada.party_id,
            "kind": "counter",
            "counter_terms": {**TERMS, "attribution": "Ada"},
        },
        headers=csrf(live, client),
    )
    assert countered.status_code == 200, countered.text
    body = countered.json()
    assert body["works"][0]["state"] == "countered" and body["licences"] == []
    counter = body["counters"][0]
    assert counter["party_id"] == ada.party_id and counter["terms"]["attribution"] == "Ada"

    accepted = d.post(
        f"/api/v1/requests/{req['id']}/accept",
        json={"counter_id": counter["id"]},
        headers=csrf(live, d),
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["works"][0]["state"] == "in_force"
    assert len(accepted.json()["licences"]) == 1
    shown = d.get(f"/api/v1/requests/{req['id']}").json()
    assert shown["works"][0]["licence_id"] == accepted.json()["licences"][0]
    assert shown["counters"][0]["state"] == "accepted"
    licences = d.get("/api/v1/licences").json()
    assert [lic["id"] for lic in licences] == accepted.json()["licences"]


def test_refuse_then_withdraw_and_bad_input(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    _, d = live.account("developer", "Dev")
    work = register_poem(live, client, ada.party_id)
    req = _ask(live, d, work["id"])
    refused = client.post(
        f"/api/v1/requests/{req['id']}/answers",
        json={"party": ada.party_id, "kind": "refuse", "reason": "not for models"},
        headers=csrf(live, client),
    )
    assert refused.json()["works"][0]["state"] == "refused"
    # Asking again for a refused work is an error naming it; nothing is sent.
    again = d.post(
        "/api/v1/requests", json={"works": [work["id"]], "terms": TERMS}, headers=csrf(live, d)
    )
    assert again.status_code == 400 and work["id"] in again.json()["error"]
    withdrawn = d.post(f"/api/v1/requests/{req['id']}/withdraw", headers=csrf(live, d))
    assert withdrawn.json()["status"] == "withdrawn"
    twice = d.post(f"/api/v1/requests/{req['id']}/withdraw", headers=csrf(live, d))
    assert twice.status_code == 400
    unknown = d.post(
        "/api/v1/requests",
        json={"works": [work["id"]], "terms": TERMS, "typo": 1},
        headers=csrf(live, d),
    )
    assert unknown.status_code == 422
    backwards = d.post(
        "/api/v1/requests",
        json={
            "works": [work["id"]],
            "terms": {**TERMS, "starts_at": "2030-01-02T00:00:00Z", "ends_at": "2030-01-01T00:00Z"},
        },
        headers=csrf(live, d),
    )
    assert backwards.status_code == 400
    assert len(d.get("/api/v1/requests").json()) == 1


def test_an_agent_answers_on_its_mandate(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    society, r = live.account("rightsholder", "Society")
    _, d = live.account("developer", "Dev")
    work = register_poem(live, client, ada.party_id)
    mandate = client.post(
        "/api/v1/mandates",
        json={"agent": society.party_id, "creators": [ada.party_id], "uses": ["ai_training"]},
        headers=csrf(live, client),
    ).json()
    req = _ask(live, d, work["id"])
    assert [x["id"] for x in r.get("/api/v1/requests").json()] == [req["id"]]
    without = r.post(
        f"/api/v1/requests/{req['id']}/answers",
        json={"party": ada.party_id, "kind": "grant"},
        headers=csrf(live, r),
    )
    assert without.status_code == 403
    granted = r.post(
        f"/api/v1/requests/{req['id']}/answers",
        json={"party": ada.party_id, "kind": "grant", "mandate_id": mandate["id"]},
        headers=csrf(live, r),
    )
    assert granted.status_code == 200, granted.text
    party = granted.json()["works"][0]["parties"][0]
    assert party["authority"] == "mandate" and party["answered_by"] == society.party_id
    assert granted.json()["works"][0]["state"] == "in_force"
