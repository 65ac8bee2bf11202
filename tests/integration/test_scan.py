"""``consentry scan`` against a real registry: decisions, manifests, cleared data, the CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from consentry.actions import consent, licences, models, parties, works
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import ConflictError, NotFound
from consentry.provenance import TrainedOn

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "schemas"


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(workspace, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    for name, work_id in (("ruth.txt", "ruth"), ("jonah.txt", "jonah"), ("psalms-1-8.txt", "ps")):
        works.add_work(
            workspace,
            TEXTS / name,
            title=work_id,
            work_id=work_id,
            creators=[{"name": "Ada Quill"}],
        )
    consent.set_consent(workspace, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    licences.grant_licence(workspace, "Northwind AI", ["ruth"], [Use.AI_TRAINING])
    consent.set_consent(workspace, "jonah", "p_ada", Use.GENAI_TRAINING, ConsentState.WITHHELD)
    yield workspace
    workspace.close()


def _words(name: str, start: int, stop: int) -> str:
    return " ".join((TEXTS / name).read_text(encoding="utf-8").split()[start:stop])


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "books").mkdir(parents=True)
    (corpus / "books" / "ruth.txt").write_bytes((TEXTS / "ruth.txt").read_bytes())
    (corpus / "jonah-excerpt.txt").write_text(
        "A sermon.\n" + _words("jonah.txt", 20, 300).lower(), encoding="utf-8"
    )
    (corpus / "anthology.txt").write_text(
        _words("ruth.txt", 0, 250) + "\n\n" + _words("psalms-1-8.txt", 0, 250), encoding="utf-8"
    )
    (corpus / "notes.txt").write_text("Shopping list: bread, milk, eggs, tea. " * 20)
    (corpus / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    return corpus


def test_each_item_is_decided_by_the_decision_table(ws: Workspace, tmp_path: Path) -> None:
    summary = scan(ws, _corpus(tmp_path), tmp_path / "out", developer_ref="Northwind AI")
    rows = {
        r["item_id"]: r
        for r in map(json.loads, (tmp_path / "out" / "manifest.jsonl").read_text().splitlines())
    }
    assert rows["books/ruth.txt"]["decision"] == "include"
    assert rows["books/ruth.txt"]["match"] == "exact"
    assert rows["books/ruth.txt"]["reasons"][0].startswith("licensed:")
    assert rows["jonah-excerpt.txt"]["reasons"] == ["withheld"]
    assert rows["jonah-excerpt.txt"]["match"] == "excerpt"
    anthology = rows["anthology.txt"]
    assert anthology["decision"] == "exclude" and anthology["reasons"] == ["unlicensed"]
    assert sorted(m["work_id"] for m in anthology["matches"]) == ["ps", "ruth"]
    assert rows["notes.txt"]["reasons"] == ["unknown"]
    assert rows["broken.png"]["reasons"][0].startswith("unreadable:")
    assert (summary.items, summary.included, summary.excluded) == (5, 1, 4)
    cleared = sorted(
        p.relative_to(tmp_path / "out" / "cleared").as_posix()
        for p in (tmp_path / "out" / "cleared").rglob("*")
        if p.is_file()
    )
    assert cleared == ["books/ruth.txt"]
    validator = Draft202012Validator(json.loads((DOCS / "manifest.schema.json").read_text()))
    for row in rows.values():
        validator.validate(row)
    table = pq.read_table(tmp_path / "out" / "manifest.parquet").to_pylist()
    assert [r["item_id"] for r in table] == list(rows)
    assert json.loads(table[0]["matches"]) == rows[table[0]["item_id"]]["matches"]


def test_without_a_developer_nothing_registered_is_included(ws: Workspace, tmp_path: Path) -> None:
    summary = scan(ws, _corpus(tmp_path), tmp_path / "out")
    assert summary.included == 0
    assert summary.reasons["unlicensed"] == 2 and summary.reasons["withheld"] == 1


def test_jsonl_corpus_keeps_its_kept_lines_byte_for_byte(ws: Workspace, tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": (TEXTS / "ruth.txt").read_text(encoding="utf-8"), "id": "a"}),
        "{not json",
        json.dumps({"text": _words("jonah.txt", 0, 200), "id": "b"}),
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan(ws, corpus, tmp_path / "out", developer_ref="p_dev", id_field="id")
    rows = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert [r["item_id"] for r in rows] == ["c.jsonl#a", "c.jsonl#1", "c.jsonl#b"]
    assert [r["decision"] for r in rows] == ["include", "exclude", "exclude"]
    assert rows[1]["reasons"][0].startswith("unreadable:broken_json")
    assert (tmp_path / "out" / "cleared" / "c.jsonl").read_text() == lines[0] + "\n"


def test_cli_scan_prints_a_summary_and_exits_zero(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    args = ["--db", database_url, "scan", str(_corpus(tmp_path)), "--out", str(tmp_path / "o")]
    result = runner.invoke(app, [*args, "--developer", "Northwind AI", "--workers", "1", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["items"] == 5 and summary["params"]["developer_id"] == "p_dev"
    assert summary["excluded_registered"] == 2
    assert summary["excluded_creators"] == [["p_ada", 2]]
    bad = runner.invoke(app, [*args, "--developer", "Ada Quill"])
    assert bad.exit_code != 0
    assert "not a developer" in str(bad.exception)


def test_a_scan_is_recorded_as_a_dataset_version_a_model_can_cite(
    ws: Workspace, tmp_path: Path
) -> None:
    summary = scan(ws, _corpus(tmp_path), tmp_path / "out", developer_ref="p_dev")
    assert summary.dataset_version is not None
    written = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert written["dataset_version"] == summary.dataset_version
    [dataset] = models.list_dataset_versions(ws)
    manifest = (tmp_path / "out" / "manifest.jsonl").read_bytes()
    assert dataset.manifest_sha256 == hashlib.sha256(manifest).hexdigest()
    assert (dataset.items, dataset.included, dataset.developer_id) == (5, 1, "p_dev")
    models.add_model_version(ws, "northwind-7b", "1.0", developer_ref="Northwind AI")
    with pytest.raises(ConflictError):
        models.add_model_version(ws, "northwind-7b", "1.0")
    with pytest.raises(NotFound):
        models.record_training(ws, "northwind-7b", "1.0", "ds_missing")
    models.record_training(ws, "northwind-7b", "1.0", dataset.id, used=TrainedOn.ALL, epochs=2)
    [(model, trainings)] = models.list_model_versions(ws)
    assert model.developer_id == "p_dev"
    assert [(t.dataset_version_id, t.used, t.epochs) for t in trainings] == [
        (dataset.id, TrainedOn.ALL, 2)
    ]


def test_cli_models_and_datasets(ws: Workspace, database_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", database_url]
    out = tmp_path / "o"
    done = runner.invoke(app, [*db, "scan", str(_corpus(tmp_path)), "--out", str(out), "--json"])
    dataset = json.loads(done.output)["dataset_version"]
    for args in (
        ["models", "add", "tiny", "--version", "0.1"],
        ["models", "record-training", "tiny", "--version", "0.1", "--dataset", dataset],
    ):
        result = runner.invoke(app, [*db, *args])
        assert result.exit_code == 0, result.output
    listed = json.loads(runner.invoke(app, [*db, "models", "list", "--json"]).output)
    assert listed[0]["trainings"] == [{"dataset": dataset, "used": "cleared", "epochs": None}]
    datasets = json.loads(runner.invoke(app, [*db, "datasets", "list", "--json"]).output)
    assert [d["id"] for d in datasets] == [dataset]
