"""``consentry report``: every format validated, counts from a real scan, stable, logged."""

from __future__ import annotations

import hashlib
import io
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jsonschema
import mlcroissant as mlc  # type: ignore[import-untyped]
import pytest
import spdx_python_model
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from typer.testing import CliRunner

from consentry.actions.demo import DemoContext, consent_and_licences, prepare, register, scan_corpus
from consentry.actions.ledger_training import TrainingSource
from consentry.actions.log import entries, public_key
from consentry.actions.models import add_model_version, record_training
from consentry.actions.report import write_report
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.errors import InvalidInput, NotFound
from consentry.evidence.note import Verifier
from consentry.evidence.receipt import Receipt
from consentry.ledger.usage import row_works

SCHEMA = Path(__file__).parents[2] / "src" / "consentry" / "schemas" / "model-report.json"
MODEL = ("northwind-7b", "1.0")


@dataclass(frozen=True)
class FixedClock(Workspace):
    """A workspace whose clock stands still, for byte-for-byte comparisons."""

    def now(self) -> datetime:
        return datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[DemoContext, Path]]:
    """The demo's registry and scan on the test database, and a model trained on it."""
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    ws = init(database_url)
    ctx = DemoContext(root=tmp_path / "demo", ws=ws)
    ctx.root.mkdir()
    for step in (prepare, register, consent_and_licences, scan_corpus):
        step(ctx)
    assert ctx.scan is not None and ctx.scan.dataset_version is not None
    scan_dir = ctx.paths["manifest"].parent
    add_model_version(ws, *MODEL, developer_ref="p_northwind")
    record_training(ws, *MODEL, ctx.scan.dataset_version, source=TrainingSource(scan_dir))
    yield ctx, scan_dir
    ws.close()


def _manifest(scan_dir: Path) -> list[dict[str, Any]]:
    lines = (scan_dir / "manifest.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines if line]


def test_every_format_validates_and_the_hash_is_in_the_log(
    demo: tuple[DemoContext, Path], tmp_path: Path
) -> None:
    ctx, scan_dir = demo
    out = tmp_path / "report"
    written = write_report(ctx.ws, *MODEL, out, scans=[scan_dir])
    report = json.loads((out / "report.json").read_text())
    checker = jsonschema.Draft202012Validator(
        json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker()
    )
    checker.validate(report)
    # SPDX 3.0.1: the bindings refuse unknown types or properties; every reference resolves;
    # serialising again checks every required property.
    spdx = json.loads((out / "model.spdx.json").read_text())
    model, objects = spdx_python_model.load_data(spdx)
    assert objects.link() == set()
    model.JSONLDSerializer().write(objects, io.BytesIO())
    trained = list(objects.foreach_type(model.Relationship))
    assert [str(r.relationshipType).rsplit("/", 1)[-1] for r in trained] == ["trainedOn"]
    assert isinstance(trained[0].from_, model.ai_AIPackage)
    assert all(isinstance(t, model.dataset_DatasetPackage) for t in trained[0].to)
    # CycloneDX 1.6 against the schema the library ships.
    bom = (out / "model.cdx.json").read_text()
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(bom) is None
    assert json.loads(bom)["metadata"]["component"]["modelCard"]["modelParameters"]["datasets"]
    # Croissant 1.1 with mlcroissant, offline.
    for path in (out / "croissant").glob("*.json"):
        dataset = mlc.Dataset(jsonld=json.loads(path.read_text()))
        issues = dataset.metadata.ctx.issues
        assert not issues.errors and not issues.warnings
        assert dataset.metadata.data_collection
    # The report's hash is the SHA-256 of SHA256SUMS, which lists every file.
    sums = (out / "SHA256SUMS").read_bytes()
    assert hashlib.sha256(sums).hexdigest() == written.report_sha256
    for line in sums.decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    stored = entries(ctx.ws, written.log_position, 1)[0]
    body = json.loads(stored.body)
    assert body["type"] == "report.published"
    assert body["report_sha256"] == written.report_sha256
    assert body["training_root"] == report["training_set"]["root"]
    publication = json.loads((out / "publication.json").read_text())
    receipt = Receipt.parse(publication["receipt"])
    assert receipt.index == written.log_position
    assert receipt.verify(stored.body, Verifier.parse(public_key(ctx.ws))) > written.log_position


def test_the_report_reflects_the_scan(demo: tuple[DemoContext, Path], tmp_path: Path) -> None:
    ctx, scan_dir = demo
    write_report(ctx.ws, *MODEL, tmp_path / "r", scans=[scan_dir])
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    rows = _manifest(scan_dir)
    included = [r for r in rows if r["decision"] == "include"]
    excluded = [r for r in rows if r["decision"] == "exclude"]
    assert report["counts"]["items_used"] == len(included)
    assert report["counts"]["by_kind"] == dict(Counter(r["kind"] for r in included))
    assert sum(report["counts"]["by_licence"].values()) == len(included)
    assert report["excluded"]["items"] == len(excluded)
    codes = Counter(r["reasons"][0].split(":")[0] for r in excluded)
    assert report["excluded"]["by_reason"] == dict(codes)
    used_works = {w for r in included for w in row_works(r)}
    assert {w["work_id"] for w in report["works"]} == used_works
    ruth = next(w for w in report["works"] if w["work_id"] == "ruth")
    assert [c["name"] for c in ruth["creators"]] == ["Ada Quill"]
    assert [r["name"] for r in ruth["rightsholders"]] == ["Lantern Press"]
    assert ruth["licences"] and ruth["usage"]["items"] == ruth["items"]
    summary = (tmp_path / "r" / "eu-training-summary.md").read_text()
    assert "Less than 1 billion tokens" in summary and "Less than 1 million images" in summary


def test_unknown_answers_are_not_provided_and_given_ones_are_used(
    demo: tuple[DemoContext, Path], tmp_path: Path
) -> None:
    ctx, scan_dir = demo
    answers = tmp_path / "answers.toml"
    answers.write_text('[provider]\ncontact = "ai@northwind.example"\n[crawled]\nused = false\n')
    write_report(ctx.ws, *MODEL, tmp_path / "r", scans=[scan_dir], answers_file=answers)
    summary = json.loads((tmp_path / "r" / "eu-training-summary.json").read_text())
    found = {
        (part["number"], a["question"]): a
        for section in summary["sections"]
        for part in section["parts"]
        for a in part["answers"]
    }
    assert found[("1.1", "Contact details")] == {
        "question": "Contact details",
        "answer": "ai@northwind.example",
        "source": "developer",
    }
    assert found[("2.3", "Used")]["answer"] == "no"
    assert found[("2.3", "Crawler behaviour")]["answer"] == "not provided"
    assert found[("2.3", "Crawler behaviour")]["source"] == "not provided"
    assert found[("1.1", "Provider name")]["answer"] == "Northwind AI"
    assert found[("1.1", "Provider name")]["source"] == "computed"


def test_same_input_same_bytes(demo: tuple[DemoContext, Path], tmp_path: Path) -> None:
    ctx, scan_dir = demo
    fixed = FixedClock(ctx.ws.url, ctx.ws.engine)
    first = write_report(fixed, *MODEL, tmp_path / "a", scans=[scan_dir])
    second = write_report(fixed, *MODEL, tmp_path / "b", scans=[scan_dir])
    for name in first.files:
        if name != "publication.json":
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert first.report_sha256 == second.report_sha256
    assert second.log_position == first.log_position + 1


def test_bad_input_is_refused_and_nothing_written(
    demo: tuple[DemoContext, Path], tmp_path: Path
) -> None:
    ctx, scan_dir = demo
    size = len(entries(ctx.ws))
    with pytest.raises(NotFound):
        write_report(ctx.ws, "no-such-model", "1.0", tmp_path / "x", scans=[scan_dir])
    add_model_version(ctx.ws, "untrained", "1.0")
    with pytest.raises(InvalidInput, match="no training"):
        write_report(ctx.ws, "untrained", "1.0", tmp_path / "x", scans=[scan_dir])
    bad = tmp_path / "answers.toml"
    bad.write_text('[provider]\ncontcat = "typo"\n[crawled]\nused = "yes"\n')
    with pytest.raises(InvalidInput, match=r"provider\.contcat.*crawled\.used must be true"):
        write_report(ctx.ws, *MODEL, tmp_path / "x", scans=[scan_dir], answers_file=bad)
    hidden = scan_dir.rename(scan_dir.with_name("moved-away"))  # the recorded folder is gone
    with pytest.raises(NotFound, match="manifest"):
        write_report(ctx.ws, *MODEL, tmp_path / "x", scans=[tmp_path])
    hidden.rename(scan_dir)
    assert not (tmp_path / "x").exists()
    assert len(entries(ctx.ws)) == size


def test_removals_since_the_previous_version(
    demo: tuple[DemoContext, Path], tmp_path: Path
) -> None:
    ctx, _ = demo
    from consentry.actions.consent import set_consent
    from consentry.actions.scan import scan
    from consentry.domain import ConsentState, Use

    set_consent(ctx.ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.WITHHELD)
    again = scan(ctx.ws, ctx.paths["corpus"], tmp_path / "scan2", developer_ref="p_northwind")
    assert again.dataset_version is not None
    add_model_version(ctx.ws, "northwind-7b", "2.0", developer_ref="p_northwind")
    record_training(
        ctx.ws, "northwind-7b", "2.0", again.dataset_version,
        source=TrainingSource(tmp_path / "scan2"),
    )  # fmt: skip
    write_report(ctx.ws, "northwind-7b", "2.0", tmp_path / "r", scans=[tmp_path / "scan2"])
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["removals"]["previous_version"] == "1.0"
    assert [w["work_id"] for w in report["removals"]["works"]] == ["ruth"]
    assert "Removed since the previous version" in (tmp_path / "r" / "report.html").read_text()


def test_cli_writes_the_report(
    demo: tuple[DemoContext, Path], database_url: str, tmp_path: Path
) -> None:
    _, scan_dir = demo
    out = tmp_path / "cli"
    args = ["--db", database_url, "report", MODEL[0], "--version", MODEL[1], "--out", str(out)]
    result = CliRunner().invoke(app, [*args, "--scan", str(scan_dir), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert Path(printed["files"]["report.html"]).is_file()
    assert printed["report_sha256"] == hashlib.sha256((out / "SHA256SUMS").read_bytes()).hexdigest()


def test_demo_step_writes_the_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from consentry.actions.demo import BASE_STEPS, run_demo
    from consentry.actions.demo_report import model_report

    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "log.key"))
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, model_report))
    assert ctx.paths["report"] == tmp_path / "demo" / "report"
    for name in ("report.html", "report.json", "model.spdx.json", "model.cdx.json", "SHA256SUMS"):
        assert ctx.paths[f"report:{name}"].is_file()
    report = json.loads(ctx.paths["report:report.json"].read_text())
    assert report["model"]["name"] == "northwind-base" and report["works"]
