"""The evidence log on a real database: every change logged with it, receipts, tampering found."""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, update
from typer.testing import CliRunner

from consentry.actions import consent, log, parties, works
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import InvalidInput
from consentry.evidence.commitment import Commitment
from consentry.evidence.note import Signer, Verifier, sign
from consentry.evidence.receipt import Receipt
from consentry.store.tables import log_entries

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples"


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(workspace, "Bo Stranger", PartyKind.CREATOR, party_id="p_bo")
    works.add_work(
        workspace,
        SAMPLES / "texts" / "ruth.txt",
        title="Ruth",
        work_id="ruth",
        creators=[{"name": "Ada Quill"}],
    )
    yield workspace
    workspace.close()


def _edit(ws: Workspace, position: int, **change: bytes) -> None:
    """What an attacker with database access does: rewrite a stored entry."""
    with ws.engine.begin() as conn:
        where = log_entries.c.position == position
        conn.execute(update(log_entries).where(where).values(**change))


def _body(ws: Workspace, position: int) -> bytes:
    return log.entries(ws, position, 1)[0].body


def test_each_change_and_only_a_committed_change_is_logged(ws: Workspace) -> None:
    assert [e.type for e in log.entries(ws)] == ["work.registered"]
    consent.set_consent(ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.WITHHELD)
    with pytest.raises(InvalidInput):
        consent.set_consent(ws, "ruth", "p_bo", Use.AI_TRAINING, ConsentState.GRANTED)
    logged = log.entries(ws)
    assert [e.type for e in logged] == ["work.registered", "consent.set"]
    body = json.loads(logged[1].body)
    assert (body["party"], body["state"], body["use"]) == ("p_ada", "withheld", "ai_training")
    assert "Ada" not in logged[1].body.decode(), "names never enter the log"


def test_a_receipt_verifies_offline_with_the_public_key(ws: Workspace, tmp_path: Path) -> None:
    consent.set_consent(ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    receipt = Receipt.parse(log.prove(ws, 1).text())
    key = Verifier.parse(log.public_key(ws))
    assert receipt.verify(log.entries(ws)[1].body, key) == 2
    key_file = tmp_path / "keys" / "log.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert log.verify(ws).ok


def test_verify_finds_an_edited_entry(ws: Workspace) -> None:
    consent.set_consent(ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.WITHHELD)
    consent.set_consent(ws, "ruth", "p_ada", Use.SEARCH, ConsentState.GRANTED)
    _edit(ws, 1, body=_body(ws, 1).replace(b"withheld", b"granted"))
    report = log.verify(ws)
    assert not report.ok and report.first_bad == 1


def test_verify_finds_a_rewritten_history_after_a_checkpoint(ws: Workspace) -> None:
    for use in (Use.AI_TRAINING, Use.SEARCH, Use.DATA_MINING):
        consent.set_consent(ws, "ruth", "p_ada", use, ConsentState.WITHHELD)
    log.checkpoint(ws)
    with ws.engine.begin() as conn:
        conn.execute(delete(log_entries).where(log_entries.c.position == 3))
    report = log.verify(ws)
    assert not report.ok and report.first_bad is not None and report.first_bad <= 3


def test_an_auditors_old_checkpoint_still_holds_and_a_forged_one_fails(
    ws: Workspace, tmp_path: Path
) -> None:
    kept = log.checkpoint(ws)
    consent.set_consent(ws, "ruth", "p_ada", Use.SEARCH, ConsentState.GRANTED)
    log.checkpoint(ws)
    assert log.verify(ws, since=kept).ok
    forged = kept.replace("\n1\n", "\n2\n", 1)
    assert not log.verify(ws, since=forged).ok
    other = Signer.generate("consentry.local/log")
    impostor = forged.split("\n\n")[0] + "\n"
    assert not log.verify(ws, since=sign(impostor, other)).ok


def test_cli_log_verify_exits_1_on_tampering(ws: Workspace, database_url: str) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["--db", database_url, "log", "verify"])
    assert ok.exit_code == 0 and "log verified" in ok.output
    _edit(ws, 0, leaf_hash=bytes(32))
    bad = runner.invoke(app, ["--db", database_url, "log", "verify"])
    assert bad.exit_code == 1


def test_a_scan_commits_its_included_hashes(ws: Workspace, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Lecture notes on rivers, entirely unregistered. " * 20)
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"own": [{"name": "ours", "prefix": "a.txt"}]}))
    summary = scan(ws, corpus, tmp_path / "out", rules_file=rules)
    published = Commitment.from_file((tmp_path / "out" / "included-hashes.bin").read_bytes())
    assert len(published) == 2  # the raw and the content hash of the one included item
    last = json.loads(log.entries(ws)[-1].body)
    assert last["type"] == "dataset.committed"
    assert (last["dataset"], last["root"], last["size"]) == (
        summary.dataset_version,
        published.root.hex(),
        2,
    )
