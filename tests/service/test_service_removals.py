"""Removal certificates over real HTTP: read the issued one, verify it publicly with a file."""

from __future__ import annotations

from pathlib import Path

from service_live import Live
from test_service_api import POEM, csrf, register_poem

from consentry.actions.published import publish_report, reports_dir
from consentry.actions.remove import remove_work
from consentry.actions.scan import scan


def test_read_a_removal_certificate_and_verify_it_with_the_work(live: Live, tmp_path: Path) -> None:
    ada, a = live.account("creator", "Ada")
    dev, d = live.account("developer", "Dev")
    _, other = live.account("developer", "Other")
    work = register_poem(live, a, ada.party_id)
    a.post(
        "/api/v1/licences",
        json={
            "developer": dev.party_id,
            "works": [work["id"]],
            "uses": ["ai_training"],
            "granted_by": [ada.party_id],
        },
        headers=csrf(live, a),
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "orchard.txt").write_bytes(POEM)
    (corpus / "other.txt").write_text("Something else entirely, of no concern. " * 20)
    summary = scan(live.ws, corpus, tmp_path / "scan", developer_ref=dev.party_id)
    assert summary.dataset_version is not None
    removal = remove_work(
        live.ws, work["id"], summary.dataset_version, source_dir=tmp_path / "scan"
    ).removal

    url = f"/api/v1/removals/{removal.id}/certificate"
    assert other.get(url).status_code == 403
    assert live.client().get(url).status_code == 401
    assert d.get(url).status_code == 200
    issued = a.get(url).json()
    assert issued["work_id"] == work["id"] and issued["certificate_sha256"]
    key = live.client().get("/api/v1/log/key").text.strip().strip('"')

    anyone = live.client()
    cert = ("certificate.json", issued["certificate"].encode(), "application/json")
    checked = anyone.post(
        "/api/v1/certificates/verify",
        files={"certificate": cert, "work": ("orchard.txt", POEM)},
        data={"key": key},
    )
    assert checked.status_code == 200, checked.text
    report = checked.json()
    assert report["ok"] is True and report["failures"] == [] and report["proven"]

    tampered = issued["certificate"].replace(work["id"], "w_someone_else")
    forged = anyone.post(
        "/api/v1/certificates/verify",
        files={"certificate": ("c.json", tampered.encode(), "application/json")},
        data={"key": key},
    )
    assert forged.status_code == 200 and forged.json()["ok"] is False
    wrong_file = anyone.post(
        "/api/v1/certificates/verify",
        files={"certificate": cert, "work": ("mine.txt", b"a different poem altogether " * 30)},
    )
    assert wrong_file.json()["ok"] is False
    bad_key = anyone.post(
        "/api/v1/certificates/verify", files={"certificate": cert}, data={"key": "/etc/passwd"}
    )
    assert bad_key.status_code == 400  # a key is text, never a server path


def test_a_published_report_is_public_while_the_log_vouches_for_it(
    live: Live, tmp_path: Path
) -> None:
    dev, d = live.account("developer", "Dev")
    model = d.post("/api/v1/models", json={"name": "m", "version": "1"}, headers=csrf(live, d))
    model_id = model.json()["id"]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Plain words for a small model to read. " * 20)
    summary = scan(live.ws, corpus, tmp_path / "scan", developer_ref=dev.party_id)
    trained = d.post(
        "/api/v1/models/m/1/trainings",
        json={"dataset_version": summary.dataset_version},
        headers=csrf(live, d),
    )
    assert trained.status_code == 201, trained.text
    anyone = live.client()
    assert anyone.get(f"/api/v1/reports/{model_id}").status_code == 404
    publish_report(live.ws, model_id, root=live.app.state.settings.data_dir)
    [listed] = anyone.get("/api/v1/reports").json()
    assert listed["model_version_id"] == model_id and listed["report"] is None
    shown = anyone.get(f"/api/v1/reports/{model_id}").json()
    assert shown["report"]["model"] == {**shown["report"]["model"], "name": "m", "version": "1"}
    assert "report.json" in shown["files"] and shown["log_position"] >= 0
    # Changed on disk after publication: no longer shown.
    folder = reports_dir(live.ws, live.app.state.settings.data_dir) / model_id
    (folder / "report.json").write_text("{}")
    assert anyone.get(f"/api/v1/reports/{model_id}").status_code in (400, 404)
    assert anyone.get("/api/v1/reports").json() == []
    assert anyone.get("/api/v1/reports/..%2F..%2Fetc").status_code == 404
