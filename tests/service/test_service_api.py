"""The JSON API over real HTTP: register, consent, licences, mandates, claims, match, scans, log."""

from __future__ import annotations

import base64
import json

import httpx
from service_live import Live

from consentry.actions.log import public_key
from consentry.evidence.checkpoint import verify_checkpoint
from consentry.evidence.merkle import verify_consistency
from consentry.evidence.note import Verifier
from consentry.evidence.receipt import Receipt

POEM = ("The quiet orchard keeps its apples through the frost and tells nobody. " * 30).encode()


def csrf(live: Live, client: httpx.Client) -> dict[str, str]:
    """Headers for a cookie-authenticated write."""
    return {"X-CSRF-Token": live.csrf(client)}


def register_poem(live: Live, client: httpx.Client, party_id: str | None, **extra: object) -> dict:
    meta = {"title": "Orchard", "creators": [{"id": party_id, "name": "Ada"}], **extra}
    response = client.post(
        "/api/v1/works",
        files={"file": ("orchard.txt", POEM, "text/plain")},
        data={"meta": json.dumps(meta)},
        headers=csrf(live, client),
    )
    assert response.status_code == 201, response.text
    return response.json()


def log_size(live: Live) -> int:
    with live.ws.transaction() as registry:
        return registry.log_size()


def test_register_by_upload_set_consent_and_read_the_decision(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    work = register_poem(live, client, ada.party_id)
    assert work["kind"] == "text" and work["creators"] == [ada.party_id]
    assert client.get(f"/api/v1/works/{work['id']}").json()["title"] == "Orchard"
    assert [
        w["id"] for w in client.get("/api/v1/works", params={"party": ada.party_id}).json()
    ] == [work["id"]]
    changed = client.post(
        f"/api/v1/works/{work['id']}/consent",
        json={"party": ada.party_id, "use": "genai_training", "state": "withheld"},
        headers=csrf(live, client),
    )
    assert changed.json() == {"work_id": work["id"], "version": 1}
    report = client.get(f"/api/v1/works/{work['id']}/consent", params={"use": "ai_training"})
    assert report.json()["reason"] == "withheld" and report.json()["include"] is False


def test_register_by_fingerprints_and_by_iscc_only(live: Live) -> None:
    from consentry.fingerprint.work import work_prints

    ada, client = live.account("creator", "Ada")
    prints = work_prints(POEM, None).as_import()
    rows = [
        {
            "title": "Unpublished",
            "kind": "text",
            "fingerprints": prints,
            "creators": [{"id": ada.party_id, "name": "Ada"}],
        },
        {
            "title": "ISCC only",
            "kind": "image",
            "identifiers": {
                "iscc": "ISCC:KEC3S6WWA6XVDPEKZ7LDFOQXLM7GOMGFPLIDCCACCOF7FZ7AGE5KDPOQ"
            },
            "creators": [{"id": ada.party_id, "name": "Ada"}],
        },
    ]
    made = client.post("/api/v1/works/by-fingerprints", json=rows, headers=csrf(live, client))
    assert made.status_code == 201, made.text
    assert len(made.json()["works"]) == 2
    assert any("ISCC" in w for w in made.json()["warnings"]) or made.json()["warnings"] == []
    for row in rows:
        with_file = {**row, "file": "../../etc/passwd"}
        refused = client.post(
            "/api/v1/works/by-fingerprints", json=[with_file], headers=csrf(live, client)
        )
        assert refused.status_code == 422  # not a field of the schema at all


def test_bulk_import_is_all_or_nothing_and_never_reads_server_paths(live: Live) -> None:
    rh, client = live.account("rightsholder", "Press")
    good = {
        "title": "Catalogue A",
        "kind": "image",
        "identifiers": {"iscc": "ISCC:KEC3S6WWA6XVDPEKZ7LDFOQXLM7GOMGFPLIDCCACCOF7FZ7AGE5KDPOQ"},
        "creators": [{"name": "Author A"}],
        "rightsholders": [{"id": rh.party_id, "name": "Press"}],
    }
    traversal = {**good, "title": "B", "file": "../../../../etc/hostname"}
    body = (json.dumps(good) + "\n" + json.dumps(traversal) + "\n").encode()
    before = log_size(live)
    refused = client.post(
        "/api/v1/works/import",
        files={"file": ("cat.jsonl", body, "application/x-ndjson")},
        headers=csrf(live, client),
    )
    assert refused.status_code == 400
    assert refused.json()["details"] == [
        "line 2: 'file' is not accepted here: upload the file, or give its fingerprints"
    ]
    assert log_size(live) == before
    accepted = client.post(
        "/api/v1/works/import",
        files={"file": ("cat.jsonl", json.dumps(good).encode(), "application/x-ndjson")},
        headers=csrf(live, client),
    )
    assert accepted.status_code == 201, accepted.text
    assert accepted.json()["parties_created"] == 1


def test_bad_input_gets_a_clear_4xx_and_nothing_is_stored(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    before = log_size(live)
    meta = json.dumps({"title": "X", "creators": [{"id": ada.party_id, "name": "Ada"}]})
    for name in ("../evil.txt", "..", "/etc/passwd", ".hidden", "a\\b.txt", "x/../../y.txt"):
        response = client.post(
            "/api/v1/works",
            files={"file": (name, POEM)},
            data={"meta": meta},
            headers=csrf(live, client),
        )
        assert response.status_code == 400, (name, response.text)
        assert "not allowed" in response.json()["error"]
    huge = client.post(
        "/api/v1/works",
        files={"file": ("big.txt", b"x" * (33 * 1024 * 1024))},
        data={"meta": meta},
        headers=csrf(live, client),
    )
    assert huge.status_code == 413
    malformed = client.post(
        "/api/v1/works/by-fingerprints",
        content=b"[{not json",
        headers={"content-type": "application/json", **csrf(live, client)},
    )
    assert malformed.status_code == 422
    unknown = client.post(
        f"/api/v1/works/{'w_x'}/consent",
        json={"party": ada.party_id, "use": "ai_training", "state": "granted", "admin": True},
        headers=csrf(live, client),
    )
    assert unknown.status_code == 422 and "admin" in json.dumps(unknown.json()["details"])
    wrong_type = client.post(
        "/api/v1/works",
        json={"title": "X"},
        headers=csrf(live, client),
    )
    assert wrong_type.status_code == 422
    bad_meta = client.post(
        "/api/v1/works",
        files={"file": ("ok.txt", POEM)},
        data={"meta": '{"title": "X", "colour": "red"}'},
        headers=csrf(live, client),
    )
    assert bad_meta.status_code == 400
    assert log_size(live) == before
    assert client.get("/api/v1/works").json() == []


def test_licence_grant_lookup_and_revoke(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    dev, dev_client = live.account("developer", "Dev")
    work = register_poem(live, client, ada.party_id)
    lookup = {"developer": dev.party_id, "sha256": work["sha256"]}
    assert dev_client.get("/api/v1/lookup", params=lookup).json()["reasons"] == ["unlicensed"]
    granted = client.post(
        "/api/v1/licences",
        json={
            "developer": dev.party_id,
            "works": [work["id"]],
            "uses": ["ai_training"],
            "granted_by": [ada.party_id],
            "fee_terms": {"currency": "GBP", "per_work": "10.00"},
        },
        headers=csrf(live, client),
    )
    assert granted.status_code == 201, granted.text
    licence = granted.json()
    assert licence["fee_terms"]["per_work"] == "10.00"
    answer = dev_client.get("/api/v1/lookup", params=lookup).json()
    assert answer["decision"] == "include" and answer["reasons"] == [f"licensed:{licence['id']}"]
    content = dev_client.get(
        "/api/v1/lookup", params={**lookup, "sha256": work["content_sha256"]}
    ).json()
    assert content["decision"] == "include"
    assert [x["id"] for x in dev_client.get("/api/v1/licences").json()] == [licence["id"]]
    revoked = client.post(f"/api/v1/licences/{licence['id']}/revoke", headers=csrf(live, client))
    assert revoked.json()["revoked_at"] is not None
    assert dev_client.get("/api/v1/lookup", params=lookup).json()["decision"] == "exclude"


def test_mandates_and_claims(live: Live) -> None:
    press, press_client = live.account("rightsholder", "Press")
    author, author_client = live.account("creator", "Author")
    made = press_client.post(
        "/api/v1/works/by-fingerprints",
        json=[
            {
                "title": "Novel",
                "kind": "image",
                "identifiers": {
                    "iscc": "ISCC:KEC3S6WWA6XVDPEKZ7LDFOQXLM7GOMGFPLIDCCACCOF7FZ7AGE5KDPOQ"
                },
                "creators": [{"name": "Author (as the press knows her)"}],
                "rightsholders": [{"id": press.party_id, "name": "Press"}],
            }
        ],
        headers=csrf(live, press_client),
    )
    work_id = made.json()["works"][0]
    creator_on_work = press_client.get(f"/api/v1/works/{work_id}").json()["creators"][0]
    claim = author_client.post(
        f"/api/v1/works/{work_id}/claims",
        json={"party_id": creator_on_work},
        headers=csrf(live, author_client),
    )
    assert claim.status_code == 201 and claim.json()["status"] == "pending"
    before = author_client.post(
        f"/api/v1/works/{work_id}/consent",
        json={"party": creator_on_work, "use": "ai_training", "state": "withheld"},
        headers=csrf(live, author_client),
    )
    assert before.status_code == 403
    pending = press_client.get("/api/v1/claims/to-decide").json()
    assert [c["id"] for c in pending] == [claim.json()["id"]]
    own = author_client.post(
        f"/api/v1/claims/{claim.json()['id']}/confirm", headers=csrf(live, author_client)
    )
    assert own.status_code == 403
    confirmed = press_client.post(
        f"/api/v1/claims/{claim.json()['id']}/confirm", headers=csrf(live, press_client)
    )
    assert confirmed.json()["status"] == "confirmed"
    assert creator_on_work in author_client.get("/api/v1/me").json()["acts_for"]
    after = author_client.post(
        f"/api/v1/works/{work_id}/consent",
        json={"party": creator_on_work, "use": "ai_training", "state": "withheld"},
        headers=csrf(live, author_client),
    )
    assert after.status_code == 200, after.text
    mandate = author_client.post(
        "/api/v1/mandates",
        json={"agent": press.party_id, "creators": [creator_on_work], "uses": ["search"]},
        headers=csrf(live, author_client),
    )
    assert mandate.status_code == 201, mandate.text
    answered = press_client.post(
        f"/api/v1/works/{work_id}/consent",
        json={
            "party": creator_on_work,
            "use": "search",
            "state": "granted",
            "mandate_id": mandate.json()["id"],
        },
        headers=csrf(live, press_client),
    )
    assert answered.status_code == 200, answered.text
    assert author.party_id is not None


def test_match_scan_in_the_background_models_and_datasets(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    _dev, dev_client = live.account("developer", "Dev")
    work = register_poem(live, client, ada.party_id)
    found = dev_client.post(
        "/api/v1/match", files={"file": ("x.txt", POEM)}, headers=csrf(live, dev_client)
    )
    assert [m["work_id"] for m in found.json()["matches"]] == [work["id"]]
    corpus = "".join(
        json.dumps({"text": t}) + "\n" for t in (POEM.decode(), "an unrelated line of text")
    )
    submitted = dev_client.post(
        "/api/v1/scans",
        files={"corpus": ("corpus.jsonl", corpus.encode())},
        data={"use": "ai_training"},
        headers=csrf(live, dev_client),
    )
    assert submitted.status_code == 202, submitted.text
    job = live.app.state.jobs.wait(submitted.json()["id"])
    assert job.status == "done", job.error
    view = dev_client.get(f"/api/v1/scans/{job.id}").json()
    assert view["status"] == "done" and view["items_done"] == 2
    assert view["summary"]["items"] == 2 and view["summary"]["excluded"] == 2
    rows = dev_client.get(f"/api/v1/scans/{job.id}/manifest").json()["rows"]
    assert {r["item_id"] for r in rows} == {"corpus.jsonl#0", "corpus.jsonl#1"}
    assert rows[0]["work_id"] == work["id"] and rows[0]["reasons"] == ["unlicensed"]
    assert client.get(f"/api/v1/scans/{job.id}").status_code == 404  # not the creator's
    dataset = dev_client.get("/api/v1/datasets").json()[0]["id"]
    assert client.get("/api/v1/datasets").json() == []
    dev_client.post(
        "/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, dev_client)
    )
    trained = dev_client.post(
        "/api/v1/models/m/1/trainings",
        json={"dataset_version": dataset, "used": "cleared"},
        headers=csrf(live, dev_client),
    )
    assert trained.status_code == 201, trained.text
    assert trained.json()["trainings"][0]["dataset_version"] == dataset


def test_the_evidence_log_is_public_and_verifiable(live: Live) -> None:
    ada, client = live.account("creator", "Ada")
    register_poem(live, client, ada.party_id)
    anonymous = live.client()
    first = anonymous.get("/api/v1/log/checkpoint").text
    register_poem(live, client, ada.party_id, id="w_second")
    note = anonymous.get("/api/v1/log/checkpoint").text
    key = Verifier.parse(anonymous.get("/api/v1/log/key").text.strip())
    assert key.text() == public_key(live.ws)
    old = verify_checkpoint(first, key).checkpoint
    new = verify_checkpoint(note, key).checkpoint
    entries = anonymous.get("/api/v1/log/entries").json()
    assert len(entries) == new.size == 2 and entries[0]["type"] == "work.registered"
    receipt = Receipt.parse(anonymous.get("/api/v1/log/entries/1/receipt").text)
    assert receipt.index == 1
    assert receipt.verify(entries[1]["entry"].encode(), key) == new.size
    proof = anonymous.get("/api/v1/log/consistency", params={"old": old.size, "new": new.size})
    hashes = [base64.b64decode(h) for h in proof.json()["proof"]]
    verify_consistency(old.size, new.size, hashes, old.root, new.root)
    bad = anonymous.get("/api/v1/log/consistency", params={"old": 3, "new": 2})
    assert bad.status_code == 400
