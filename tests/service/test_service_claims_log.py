"""A confirmed claim is evidence: ``claim.confirmed`` is appended with the confirmation.

Over real HTTP on SQLite and (``--db postgresql``) PostgreSQL: the registering
party confirms one claim and an administrator another; each confirmation adds
exactly one entry, in the same transaction, holding ids only (no email, no
name); a refusal or a refused attempt adds nothing.
"""

from __future__ import annotations

import json

import httpx
from service_live import PASSWORD, Live
from test_service_api import csrf, log_size

from consentry.actions.accounts import signup
from consentry.actions.log import entries
from consentry.evidence.entry import EntryType

SCRIPT = b"The lighthouse keeper writes one line each night and never the same line. " * 20


def _press_work(live: Live, press: httpx.Client, press_party: str | None, title: str) -> str:
    """A work the press registers by upload, naming an author who has no account."""
    meta = {
        "title": title,
        "creators": [{"name": f"Author of {title}"}],
        "rightsholders": [{"id": press_party, "name": "Press"}],
    }
    made = press.post(
        "/api/v1/works",
        files={"file": (f"{title}.txt", SCRIPT + title.encode(), "text/plain")},
        data={"meta": json.dumps(meta)},
        headers=csrf(live, press),
    )
    assert made.status_code == 201, made.text
    work_id: str = made.json()["id"]
    return work_id


def _claim(live: Live, client: httpx.Client, work_id: str) -> tuple[str, str]:
    creator = client.get(f"/api/v1/works/{work_id}").json()["creators"][0]
    made = client.post(
        f"/api/v1/works/{work_id}/claims", json={"party_id": creator}, headers=csrf(live, client)
    )
    assert made.status_code == 201, made.text
    return made.json()["id"], creator


def _confirmed_entries(live: Live) -> list[dict[str, object]]:
    found = [e for e in entries(live.ws) if e.type == EntryType.CLAIM_CONFIRMED.value]
    return [json.loads(e.body) for e in found]


def test_confirming_a_claim_appends_one_entry_with_ids_only(live: Live) -> None:
    press, press_client = live.account("rightsholder", "Press")
    author, author_client = live.account("creator", "Author")
    other, other_client = live.account("creator", "Other")
    signup(live.ws, "admin@example.org", PASSWORD, "administrator", "")
    admin = live.client()
    admin.post("/api/v1/session", json={"email": "admin@example.org", "password": PASSWORD})
    first = _press_work(live, press_client, press.party_id, "Tides")
    second = _press_work(live, press_client, press.party_id, "Gulls")
    third = _press_work(live, press_client, press.party_id, "Reefs")
    claim_1, creator_1 = _claim(live, author_client, first)
    claim_2, creator_2 = _claim(live, author_client, second)
    claim_3, _ = _claim(live, other_client, third)

    size = log_size(live)
    denied = other_client.post(
        f"/api/v1/claims/{claim_1}/confirm", headers=csrf(live, other_client)
    )
    assert denied.status_code == 403 and log_size(live) == size
    refused = press_client.post(
        f"/api/v1/claims/{claim_3}/refuse", headers=csrf(live, press_client)
    )
    assert refused.json()["status"] == "refused" and log_size(live) == size

    by_press = press_client.post(
        f"/api/v1/claims/{claim_1}/confirm", headers=csrf(live, press_client)
    )
    assert by_press.json()["status"] == "confirmed" and log_size(live) == size + 1
    by_admin = admin.post(f"/api/v1/claims/{claim_2}/confirm", headers=csrf(live, admin))
    assert by_admin.json()["status"] == "confirmed" and log_size(live) == size + 2
    again = press_client.post(f"/api/v1/claims/{claim_1}/confirm", headers=csrf(live, press_client))
    assert again.status_code == 400 and log_size(live) == size + 2

    admin_id = admin.get("/api/v1/me").json()["id"]
    logged = _confirmed_entries(live)
    assert logged == [
        {
            "type": "claim.confirmed",
            "v": 1,
            "claim": claim_1,
            "work": first,
            "party": creator_1,
            "account": author.id,
            "authority": "registrant",
            "confirmed_by": press.party_id,
            "confirmed_at": logged[0]["confirmed_at"],
        },
        {
            "type": "claim.confirmed",
            "v": 1,
            "claim": claim_2,
            "work": second,
            "party": creator_2,
            "account": author.id,
            "authority": "administrator",
            "confirmed_by": admin_id,
            "confirmed_at": logged[1]["confirmed_at"],
        },
    ]
    public = live.client().get("/api/v1/log/entries").text
    assert "claim.confirmed" in public
    assert "@example.org" not in public and "Author of" not in public
    assert other.party_id is not None
