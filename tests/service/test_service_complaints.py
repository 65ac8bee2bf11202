"""Complaints over real HTTP: file, see, answer (with a remedy carried out), escalate, resolve."""

from __future__ import annotations

import httpx
from service_live import Live
from sqlalchemy import func, select
from test_service_api import csrf, register_poem

from consentry.store.tables_outputs import complaint_remedies


def _filed(live: Live) -> tuple[dict, dict[str, tuple[str | None, httpx.Client]]]:
    ada, a = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    other, o = live.account("developer", "Other")
    bob, b = live.account("creator", "Bob")
    people = {
        "ada": (ada.party_id, a),
        "dev": (dev.party_id, d),
        "other": (other.party_id, o),
        "bob": (bob.party_id, b),
    }
    work = register_poem(live, a, ada.party_id)
    d.post("/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, d))
    body = {
        "party": ada.party_id,
        "developer": dev.party_id,
        "work_id": work["id"],
        "model": {"name": "m", "version": "1"},
        "statement": "my poem comes back word for word",
    }
    assert b.post("/api/v1/complaints", json=body, headers=csrf(live, b)).status_code == 403
    filed = a.post("/api/v1/complaints", json=body, headers=csrf(live, a))
    assert filed.status_code == 201, filed.text
    return filed.json(), people


def test_file_answer_escalate_and_withdraw(live: Live) -> None:
    complaint, people = _filed(live)
    (ada, a), (dev, d), (_, o), (_, b) = (people[k] for k in ("ada", "dev", "other", "bob"))
    cid = complaint["id"]
    assert complaint["complainant_id"] == ada and complaint["developer_id"] == dev
    assert complaint["state"] == "open" and complaint["check"] is not None
    assert [c["id"] for c in a.get("/api/v1/complaints").json()] == [cid]
    assert [c["id"] for c in d.get("/api/v1/complaints").json()] == [cid]
    assert o.get("/api/v1/complaints").json() == [] and b.get("/api/v1/complaints").json() == []
    assert o.get(f"/api/v1/complaints/{cid}").status_code == 403
    reject = {"kind": "reject", "reason": "not_used", "note": "never trained on it"}
    for stranger in (a, o, b):
        sent = stranger.post(
            f"/api/v1/complaints/{cid}/answer", json=reject, headers=csrf(live, stranger)
        )
        assert sent.status_code == 403
    answered = d.post(f"/api/v1/complaints/{cid}/answer", json=reject, headers=csrf(live, d))
    assert answered.status_code == 200, answered.text
    assert answered.json()["state"] == "answered"
    assert answered.json()["answer"]["reason"] == "not_used"
    assert (
        o.post(f"/api/v1/complaints/{cid}/escalate", json={}, headers=csrf(live, o)).status_code
        == 403
    )
    escalated = a.post(
        f"/api/v1/complaints/{cid}/escalate", json={"note": "please look"}, headers=csrf(live, a)
    )
    assert escalated.json()["state"] == "escalated"
    assert escalated.json()["escalation"]["actor"] == "complainant"
    # The developer may not withdraw the complainant's complaint: the rules refuse it.
    refused = d.post(
        f"/api/v1/complaints/{cid}/resolve", json={"outcome": "withdrawn"}, headers=csrf(live, d)
    )
    assert refused.status_code == 400
    ended = a.post(
        f"/api/v1/complaints/{cid}/resolve", json={"outcome": "withdrawn"}, headers=csrf(live, a)
    )
    assert ended.json()["state"] == "resolved"
    assert ended.json()["resolution"]["outcome"] == "withdrawn"


def test_an_accepted_payment_remedy_is_carried_out(live: Live) -> None:
    complaint, people = _filed(live)
    _, d = people["dev"]
    cid = complaint["id"]
    bad = d.post(
        f"/api/v1/complaints/{cid}/answer",
        json={"kind": "accept", "remedy": "pay", "amount": "10.001", "currency": "GBP"},
        headers=csrf(live, d),
    )
    assert bad.status_code == 400  # finer than the currency's minor unit: nothing changes
    assert d.get(f"/api/v1/complaints/{cid}").json()["state"] == "open"
    paid = d.post(
        f"/api/v1/complaints/{cid}/answer",
        json={"kind": "accept", "remedy": "pay", "amount": "10.00", "currency": "GBP"},
        headers=csrf(live, d),
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["answer"]["remedy"] == "pay" and paid.json()["answer"]["amount"] == "10.00"
    with live.ws.engine.connect() as conn:
        count = select(func.count()).select_from(complaint_remedies)
        assert conn.execute(count).scalar_one() == 1
