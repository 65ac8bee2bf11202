"""The inference-time usage endpoint over real HTTP: batched, owner-only, returns attribution."""

from __future__ import annotations

from service_live import Live
from sqlalchemy import func, select
from test_service_api import csrf, log_size, register_poem

from consentry.actions import ledger
from consentry.store.tables_ledger import ledger_uses


def _uses(live: Live) -> int:
    with live.ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(ledger_uses)).scalar_one())


def test_a_batch_of_answers_is_recorded_once_with_each_answers_credits(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    _, d = live.account("developer", "Dev")
    _, other = live.account("developer", "Other")
    work = register_poem(live, client, ada.party_id)
    model = d.post("/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, d))
    path = f"/api/v1/models/{model.json()['id']}/inference-uses"
    before = log_size(live)
    body = {"answers": [[work["id"]], [work["id"], work["id"]]]}
    recorded = d.post(path, json=body, headers=csrf(live, d))
    assert recorded.status_code == 201, recorded.text
    answers = recorded.json()["answers"]
    assert [[c["work_id"] for c in a] for a in answers] == [[work["id"]], [work["id"]]]
    credit = answers[0][0]
    assert credit["title"] == "Orchard" and credit["creators"][0]["party_id"] == ada.party_id
    assert credit["text"].startswith("Orchard — ")
    assert log_size(live) == before + 1  # one log entry for the whole batch
    assert _uses(live) == 1  # one row per distinct work: two uses of it

    # Not the owner, an unknown work, an empty answer: refused, nothing recorded.
    assert other.post(path, json=body, headers=csrf(live, other)).status_code == 403
    assert client.post(path, json=body, headers=csrf(live, client)).status_code == 403
    unknown = d.post(path, json={"answers": [["w_nope"]]}, headers=csrf(live, d))
    assert unknown.status_code == 404 and "w_nope" in unknown.json()["error"]
    assert d.post(path, json={"answers": [[]]}, headers=csrf(live, d)).status_code == 422
    missing = d.post("/api/v1/models/mv_nope/inference-uses", json=body, headers=csrf(live, d))
    assert missing.status_code == 404
    assert log_size(live) == before + 1 and _uses(live) == 1


def _quarter(live: Live) -> str:
    now = live.ws.now()
    return f"{now.year}-Q{(now.month - 1) // 3 + 1}"


def test_statements_are_read_by_their_party_and_paid_by_the_developer(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    _, other = live.account("developer", "Other")
    _, bob = live.account("creator", "Bob")
    work = register_poem(live, client, ada.party_id)
    licence = client.post(
        "/api/v1/licences",
        json={
            "developer": dev.party_id,
            "works": [work["id"]],
            "uses": ["ai_inference"],
            "granted_by": [ada.party_id],
            "fee_terms": {"currency": "GBP", "per_inference_use": "0.25"},
        },
        headers=csrf(live, client),
    ).json()
    model = d.post("/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, d))
    path = f"/api/v1/models/{model.json()['id']}/inference-uses"
    body = {"answers": [[work["id"]]] * 4}
    assert d.post(path, json=body, headers=csrf(live, d)).status_code == 201
    ledger.issue_statements(live.ws, _quarter(live))

    [mine] = client.get("/api/v1/statements").json()
    assert mine["party_id"] == ada.party_id and mine["total"] == "1.00" and mine["paid"] == "0.00"
    assert mine["partial"] is False and mine["body"]["lines"][0]["licence_id"] == licence["id"]
    [seen] = d.get("/api/v1/statements").json()
    assert seen["id"] == mine["id"] and seen["partial"] is True
    assert [x["licence_id"] for x in seen["body"]["lines"]] == [licence["id"]]
    assert other.get("/api/v1/statements").json() == []
    assert bob.get("/api/v1/statements").json() == []
    assert bob.get(f"/api/v1/statements/{mine['id']}").status_code == 403

    pay = {"amount": "1.00", "paid_on": "2026-11-20", "reference": "BACS 123"}
    url = f"/api/v1/statements/{mine['id']}/payments"
    for stranger in (other, bob, client):
        assert stranger.post(url, json=pay, headers=csrf(live, stranger)).status_code == 403
    paid = d.post(url, json=pay, headers=csrf(live, d))
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount"] == "1.00" and paid.json()["currency"] == "GBP"
    assert client.get(f"/api/v1/statements/{mine['id']}").json()["paid"] == "1.00"
    bad = d.post(url, json={**pay, "amount": "lots"}, headers=csrf(live, d))
    assert bad.status_code == 400
    assert client.get(f"/api/v1/statements/{mine['id']}").json()["paid"] == "1.00"
