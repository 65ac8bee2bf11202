"""Administrator accounts decide escalated complaints over real HTTP (SQLite and PostgreSQL).

An account of kind ``administrator`` lists the escalated complaints and
upholds one with a remedy (carried out at once) or dismisses it; the decision
is recorded under its account id. Nobody else may, an administrator that acts
for a side of the complaint may not, and a refused decision changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace

import httpx
import pytest
from service_live import PASSWORD, Live
from sqlalchemy import func, select
from test_service_api import csrf, log_size
from test_service_complaints import _filed

from consentry.actions.accounts import find_account, signup
from consentry.actions.complaint_decisions import decide_complaint, escalated_complaints
from consentry.actions.complaints import show_complaint
from consentry.actions.log import entries
from consentry.errors import Forbidden
from consentry.licensing.complaints import ComplaintState, Outcome
from consentry.store.tables_outputs import complaint_remedies


def _admin(live: Live) -> httpx.Client:
    signup(live.ws, "admin@example.org", PASSWORD, "administrator", "")
    admin = live.client()
    signed = admin.post(
        "/api/v1/session", json={"email": "admin@example.org", "password": PASSWORD}
    )
    assert signed.status_code == 204
    return admin


def _escalated(live: Live) -> tuple[str, dict[str, tuple[str | None, httpx.Client]]]:
    complaint, people = _filed(live)
    (_, a), (_, d) = people["ada"], people["dev"]
    cid = complaint["id"]
    reject = {"kind": "reject", "reason": "not_used"}
    assert d.post(f"/api/v1/complaints/{cid}/answer", json=reject, headers=csrf(live, d)).is_success
    escalated = a.post(f"/api/v1/complaints/{cid}/escalate", json={}, headers=csrf(live, a))
    assert escalated.json()["state"] == "escalated", escalated.text
    return cid, people


def _remedies(live: Live) -> int:
    with live.ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(complaint_remedies)).scalar_one())


def test_an_administrator_account_upholds_with_payment(live: Live) -> None:
    cid, people = _escalated(live)
    admin = _admin(live)
    listed = admin.get("/api/v1/complaints/escalated").json()
    assert [c["id"] for c in listed] == [cid]
    size = log_size(live)
    bad = [
        ({"outcome": "upheld"}, 400),  # upholding names a remedy
        ({"outcome": "withdrawn"}, 422),  # not an administrator's outcome
        ({"outcome": "dismissed", "amount": "5.00", "currency": "GBP"}, 400),
        ({"outcome": "upheld", "remedy": "pay", "amount": "5.001", "currency": "GBP"}, 400),
        ({"outcome": "upheld", "remedy": "license", "licence_id": "lic_none"}, 404),
    ]
    for body, status in bad:
        refused = admin.post(
            f"/api/v1/complaints/{cid}/decide", json=body, headers=csrf(live, admin)
        )
        assert refused.status_code == status, (body, refused.text)
    assert log_size(live) == size and _remedies(live) == 0
    pay = {"outcome": "upheld", "remedy": "pay", "amount": "40.00", "currency": "GBP"}
    decided = admin.post(f"/api/v1/complaints/{cid}/decide", json=pay, headers=csrf(live, admin))
    assert decided.status_code == 200, decided.text
    admin_id = admin.get("/api/v1/me").json()["id"]
    resolution = decided.json()["resolution"]
    assert decided.json()["state"] == "resolved"
    assert resolution["outcome"] == "upheld" and resolution["remedy"] == "pay"
    assert resolution["actor"] == "administrator" and resolution["by"] == admin_id
    assert resolution["by_account"] is True
    assert log_size(live) == size + 1 and _remedies(live) == 1
    entry = json.loads(entries(live.ws)[-1].body)
    assert entry["type"] == "complaint.resolved" and entry["by"] == admin_id
    assert entry["by_account"] is True and entry["carried_out"]["amount_minor"] == 4000
    assert admin.get("/api/v1/complaints/escalated").json() == []
    (_, a) = people["ada"]
    seen = a.get(f"/api/v1/complaints/{cid}").json()["resolution"]
    assert seen["by"] == admin_id and seen["outcome"] == "upheld"
    again = admin.post(
        f"/api/v1/complaints/{cid}/decide", json={"outcome": "dismissed"}, headers=csrf(live, admin)
    )
    assert again.status_code == 400 and log_size(live) == size + 1


def test_only_an_administrator_decides_and_only_once_escalated(live: Live) -> None:
    complaint, people = _filed(live)
    cid = complaint["id"]
    admin = _admin(live)
    size = log_size(live)
    early = admin.post(
        f"/api/v1/complaints/{cid}/decide", json={"outcome": "dismissed"}, headers=csrf(live, admin)
    )
    assert early.status_code == 400 and "open" in early.text  # not escalated yet
    for _, client in people.values():
        refused = client.post(
            f"/api/v1/complaints/{cid}/decide",
            json={"outcome": "dismissed"},
            headers=csrf(live, client),
        )
        assert refused.status_code == 403
        assert client.get("/api/v1/complaints/escalated").status_code == 403
    admin_resolve = admin.post(
        f"/api/v1/complaints/{cid}/resolve",
        json={"outcome": "withdrawn"},
        headers=csrf(live, admin),
    )
    assert admin_resolve.status_code == 403  # an administrator never withdraws for a side
    assert log_size(live) == size
    assert show_complaint(live.ws, cid).complaint.state is ComplaintState.OPEN


def test_an_administrator_that_acts_for_a_side_is_refused(live: Live) -> None:
    cid, people = _escalated(live)
    _admin(live)
    account = find_account(live.ws, "admin@example.org")
    ada = people["ada"][0]
    assert ada is not None
    as_party = replace(account, acts_for=frozenset({ada}))
    assert escalated_complaints(live.ws, as_party) == []
    assert [c.id for c, _ in escalated_complaints(live.ws, account)] == [cid]
    size = log_size(live)
    with pytest.raises(Forbidden):
        decide_complaint(live.ws, as_party, cid, Outcome.DISMISSED)
    creator = find_account(live.ws, "ada@example.org")
    with pytest.raises(Forbidden):
        decide_complaint(live.ws, creator, cid, Outcome.DISMISSED)
    assert log_size(live) == size
    assert show_complaint(live.ws, cid).complaint.state is ComplaintState.ESCALATED
    done = decide_complaint(live.ws, account, cid, Outcome.DISMISSED, note="no evidence of use")
    assert done.complaint.resolution is not None
    assert done.complaint.resolution.by == account.id and done.complaint.resolution.by_account
    stored = show_complaint(live.ws, cid).complaint.resolution
    assert stored is not None and stored.by_account and stored.note == "no evidence of use"
