"""Requests from a scan's exclusions, catalogue offers, and issuing statements, over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from service_live import PASSWORD, Live
from sqlalchemy import Table, func, select
from test_service_api import POEM, csrf, log_size, register_poem

from consentry.actions import ledger
from consentry.actions.accounts import signup
from consentry.actions.scan import scan
from consentry.domain import Use
from consentry.store.tables_ledger import ledger_periods, ledger_statements
from consentry.store.tables_requests import requests

SEARCH = {"uses": ["search"]}


def _count(live: Live, table: Table) -> int:
    with live.ws.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _scan(live: Live, tmp_path: Path, developer: str | None) -> tuple[str, Path]:
    """A scan for ``search`` of the registered poem and another text; its folder is remembered."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "orchard.txt").write_bytes(POEM)
    (corpus / "other.txt").write_text("Something else entirely, of no concern. " * 20)
    summary = scan(live.ws, corpus, tmp_path / "scan", developer_ref=developer, use=Use.SEARCH)
    assert summary.dataset_version is not None
    return summary.dataset_version, tmp_path / "scan"


def test_a_request_from_a_dataset_asks_for_what_its_scan_excluded(
    live: Live, tmp_path: Path
) -> None:
    ada, a = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    _, other = live.account("developer", "Other")
    work = register_poem(live, a, ada.party_id)
    dataset, out = _scan(live, tmp_path, dev.party_id)
    body = {"from_dataset": dataset, "terms": SEARCH}

    refused = other.post("/api/v1/requests", json=body, headers=csrf(live, other))
    assert refused.status_code == 403, refused.text
    unknown = d.post(
        "/api/v1/requests", json={**body, "from_dataset": "ds_nope"}, headers=csrf(live, d)
    )
    assert unknown.status_code == 404, unknown.text
    both = d.post("/api/v1/requests", json={**body, "works": [work["id"]]}, headers=csrf(live, d))
    assert both.status_code == 400, both.text
    assert _count(live, requests) == 0

    sent = d.post("/api/v1/requests", json=body, headers=csrf(live, d))
    assert sent.status_code == 201, sent.text
    request = sent.json()["request"]
    assert request["source"] == "scan" and request["works"] == [work["id"]]
    assert request["developer_id"] == dev.party_id
    assert [r["id"] for r in a.get("/api/v1/requests").json()] == [request["id"]]

    # The remembered folder is used only while its manifest is the one the log committed.
    with (out / "manifest.jsonl").open("a", encoding="utf-8") as handle:
        handle.write("\n")
    before = log_size(live)
    edited = d.post("/api/v1/requests", json=body, headers=csrf(live, d))
    assert edited.status_code == 400, edited.text
    assert "SHA-256" in edited.json()["error"]
    assert _count(live, requests) == 1 and log_size(live) == before


def test_a_scan_without_a_developer_is_nobodys_to_request_from(live: Live, tmp_path: Path) -> None:
    ada, a = live.account("creator", "Ada")
    _, d = live.account("developer", "Dev")
    register_poem(live, a, ada.party_id)
    dataset, _ = _scan(live, tmp_path, None)
    body = {"from_dataset": dataset, "terms": SEARCH}
    assert d.post("/api/v1/requests", json=body, headers=csrf(live, d)).status_code == 403


def test_a_rightsholder_offers_its_catalogue_and_the_developer_accepts(live: Live) -> None:
    ada, a = live.account("creator", "Ada")
    label, r = live.account("rightsholder", "Label")
    dev, d = live.account("developer", "Dev")
    work = register_poem(
        live, r, ada.party_id, rightsholders=[{"id": label.party_id, "name": "Label"}]
    )
    offer = {"rightsholder": label.party_id, "developer": dev.party_id, "terms": SEARCH}

    assert a.post("/api/v1/offers", json=offer, headers=csrf(live, a)).status_code == 403
    as_ada = {**offer, "rightsholder": ada.party_id}
    assert r.post("/api/v1/offers", json=as_ada, headers=csrf(live, r)).status_code == 403
    to_creator = {**offer, "developer": ada.party_id}
    assert r.post("/api/v1/offers", json=to_creator, headers=csrf(live, r)).status_code == 400
    not_ours = {**offer, "works": ["w_nope"]}
    assert r.post("/api/v1/offers", json=not_ours, headers=csrf(live, r)).status_code == 400
    assert _count(live, requests) == 0

    made = r.post("/api/v1/offers", json=offer, headers=csrf(live, r))
    assert made.status_code == 201, made.text
    request = made.json()["request"]
    assert request["origin"] == "offer" and request["offered_by"] == label.party_id
    assert request["works"] == [work["id"]] and request["developer_id"] == dev.party_id
    assert [x["id"] for x in d.get("/api/v1/requests").json()] == [request["id"]]
    accepted = d.post(f"/api/v1/requests/{request['id']}/accept", json={}, headers=csrf(live, d))
    assert accepted.status_code == 200, accepted.text


def test_an_administrator_issues_a_periods_statements_once(live: Live) -> None:
    ada, a = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    signup(live.ws, "admin@example.org", PASSWORD, "administrator", "")
    admin = live.client()
    admin.post("/api/v1/session", json={"email": "admin@example.org", "password": PASSWORD})
    work = register_poem(live, a, ada.party_id)
    a.post(
        "/api/v1/licences",
        json={
            "developer": dev.party_id,
            "works": [work["id"]],
            "uses": ["ai_inference"],
            "granted_by": [ada.party_id],
            "starts_at": "2025-01-01T00:00:00Z",
            "fee_terms": {"currency": "GBP", "per_inference_use": "0.25"},
        },
        headers=csrf(live, a),
    )
    model = d.post("/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, d))
    at = datetime(2025, 2, 1, tzinfo=UTC)
    ledger.record_inference_use(live.ws, model.json()["id"], [work["id"]], at=at)
    path = "/api/v1/statements/issue"

    for who in (a, d):
        assert (
            who.post(path, json={"period": "2025-Q1"}, headers=csrf(live, who)).status_code == 403
        )
    bad = admin.post(path, json={"period": "2025-Q9"}, headers=csrf(live, admin))
    assert bad.status_code == 400, bad.text
    assert _count(live, ledger_statements) == 0 and _count(live, ledger_periods) == 0

    issued = admin.post(path, json={"period": "2025-Q1"}, headers=csrf(live, admin))
    assert issued.status_code == 201, issued.text
    [statement] = issued.json()
    assert statement["party_id"] == ada.party_id and statement["total"] == "0.25"
    assert statement["period"] == "2025-Q1" and not statement["partial"]
    assert [s["id"] for s in a.get("/api/v1/statements").json()] == [statement["id"]]
    before = log_size(live)
    again = admin.post(path, json={"period": "2025-Q1"}, headers=csrf(live, admin))
    assert [s["id"] for s in again.json()] == [statement["id"]]
    assert _count(live, ledger_statements) == 1 and log_size(live) == before
    empty = admin.post(path, json={"period": "2025-Q2"}, headers=csrf(live, admin))
    assert empty.status_code == 201 and empty.json() == []
    assert _count(live, ledger_periods) == 2
