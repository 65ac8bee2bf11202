"""``consentry remove`` and ``consentry verify`` as a user types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.actions import consent, licences, parties, works
from consentry.actions.scan import scan
from consentry.actions.workspace import init
from consentry.cli.app import app, app_for, command_named
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import NotFound

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"


@pytest.fixture
def scanned(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A registry with Ruth licensed and a scanned corpus holding her; the dataset id."""
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    ws = init(database_url)
    try:
        parties.add_party(ws, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
        parties.add_party(ws, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
        works.add_work(ws, TEXTS / "ruth.txt", title="Ruth", work_id="ruth",
                       creators=[{"name": "Ada Quill"}])  # fmt: skip
        consent.set_consent(ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
        licences.grant_licence(ws, "Northwind AI", ["ruth"], [Use.AI_TRAINING])
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        (corpus / "ruth.txt").write_bytes((TEXTS / "ruth.txt").read_bytes())
        (corpus / "psalms.txt").write_bytes((TEXTS / "psalms-1-8.txt").read_bytes())
        summary = scan(ws, corpus, tmp_path / "scan", developer_ref="p_dev")
    finally:
        ws.close()
    assert summary.dataset_version is not None
    return summary.dataset_version


def _run(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", url, *args], catch_exceptions=True)
    return result.exit_code, result.output


def test_remove_then_verify_from_the_command_line(
    database_url: str, scanned: str, tmp_path: Path
) -> None:
    code, out = _run(
        database_url, "remove", "ruth", "--dataset", scanned, "--from", str(tmp_path / "scan"),
        "--out", str(tmp_path / "new"), "--reason", "withdrawn", "--json",
    )  # fmt: skip
    assert code == 0, out
    done = json.loads(out)
    assert done["items_removed"] == ["ruth.txt"]
    code, key = _run(database_url, "log", "key")
    assert code == 0
    (tmp_path / "log.pub").write_text(key, encoding="utf-8")
    cert = tmp_path / "new" / "removal-certificate.json"
    hashes = tmp_path / "new" / "included-hashes.bin"
    args = ["verify", str(cert), "--key", str(tmp_path / "log.pub"),
            "--work", str(TEXTS / "ruth.txt"), "--hashes", str(hashes)]  # fmt: skip
    code, out = _run(database_url, *args)
    assert code == 0, out
    assert "certificate verified" in out and "not proven" in out
    code, out = _run(database_url, *args, "--json")
    report = json.loads(out)
    assert report["ok"] is True and len(report["proven"]) == 5
    cert.write_text(cert.read_text(encoding="utf-8").replace('"count": 1', '"count": 2'))
    code, out = _run(database_url, *args)
    assert code == 1 and "NOT verified" in out


def test_remove_prints_what_it_did(database_url: str, scanned: str, tmp_path: Path) -> None:
    code, out = _run(
        database_url, "remove", "ruth", "--dataset", scanned, "--from", str(tmp_path / "scan")
    )
    assert code == 0, out
    assert "1 item(s) removed" in out and "ruth.txt" in out and "certificate" in out


def test_unknown_work_is_a_clear_error(database_url: str, scanned: str, tmp_path: Path) -> None:
    code, _out = _run(database_url, "remove", "nobody", "--dataset", scanned)
    assert code != 0
    result = CliRunner().invoke(
        app, ["--db", database_url, "remove", "nobody", "--dataset", scanned]
    )
    assert isinstance(result.exception, NotFound)


def test_verify_refuses_a_missing_or_garbled_certificate(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["verify", str(tmp_path / "none.json")])
    assert isinstance(missing.exception, NotFound)
    garbled = tmp_path / "cert.json"
    garbled.write_bytes(b"\xff\xfe not json")
    result = runner.invoke(app, ["verify", str(garbled)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    garbled.write_text("{}", encoding="utf-8")
    result = runner.invoke(app, ["verify", str(garbled), "--key", "not a key"])
    assert result.exit_code != 0


HEAVY = ("sqlalchemy", "alembic", "numpy", "fastapi", "consentry.store", "consentry.scan",
         "consentry.actions.workspace", "consentry.fingerprint.work")  # fmt: skip
FRESH = """
import json, sys
from consentry.cli.app import main
sys.argv = ["consentry", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
heavy = sorted(m for m in json.loads(sys.stdin.read()) if m in sys.modules)
print(json.dumps({"code": code, "heavy": heavy}), file=sys.stderr)
"""


def test_verify_in_a_fresh_process_loads_no_registry_scanner_or_service_code(
    database_url: str, scanned: str, tmp_path: Path
) -> None:
    """``consentry verify CERT`` needs only the certificate code: it starts quickly."""
    code, _ = _run(database_url, "remove", "ruth", "--dataset", scanned,
                   "--from", str(tmp_path / "scan"), "--out", str(tmp_path / "new"))  # fmt: skip
    assert code == 0
    key = tmp_path / "log.pub"
    key.write_text(_run(database_url, "log", "key")[1], encoding="utf-8")
    cert = str(tmp_path / "new" / "removal-certificate.json")
    for args, expected, said in (
        (["--key", str(key)], 0, "certificate verified"),
        (["--key", "not a key"], 2, "not a C2SP verifier key"),
    ):
        done = subprocess.run(
            [sys.executable, "-c", FRESH, "--db", database_url, "verify", cert, *args],
            input=json.dumps(HEAVY), capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        result = json.loads(done.stderr.strip().splitlines()[-1])
        assert result == {"code": expected, "heavy": []}, done.stderr
        assert said in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["verify", "c.json"], "verify"),
        (["--db", "sqlite:///x.db", "verify", "c.json"], "verify"),
        (["--db=sqlite:///x.db", "verify"], "verify"),
        (["--db"], None),
        (["--help", "verify"], None),
        ([], None),
        (["works", "list"], "works"),
    ],
)
def test_the_shell_finds_the_command_past_the_global_option(
    args: list[str], named: str | None
) -> None:
    assert command_named(args) == named
    light = app_for(args)
    assert (light is app) == (named != "verify")


def test_the_light_verify_app_is_the_full_apps_verify() -> None:
    runner = CliRunner()
    helps = [
        runner.invoke(shell, ["verify", "--help"], terminal_width=100).output
        for shell in (app_for(["verify"]), app)
    ]
    assert helps[0] == helps[1] and "--hashes" in helps[0]
    assert "--db" in runner.invoke(app_for(["verify"]), ["--help"]).output
