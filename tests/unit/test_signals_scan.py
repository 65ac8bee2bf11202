"""Signals end to end in a scan: each reservation excludes for the uses it covers only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.cli.app import app
from consentry.corpus import open_corpus
from consentry.domain import Use
from consentry.matching.works_index import WorksIndex
from consentry.policy import Policy, Regime
from consentry.scan import ScanParams, run_scan
from consentry.scan.decide import no_registry
from consentry.signals.corpus import CorpusSignals

TEXT = "An ordinary paragraph of prose about rivers and the sea. " * 12


def _record(url: str, text: str = TEXT, **headers: str) -> str:
    return json.dumps({"text": text, "url": url, "http_headers": headers})


@pytest.fixture
def corpus(tmp_path: Path, shared_dir: Path) -> tuple[Path, Path]:
    web = tmp_path / "web"
    web.mkdir()
    page = f'<html><head><meta name="robots" content="noai"></head><body>{TEXT}</body></html>'
    lines = [
        _record("https://press.example/a", **{"tdm-reservation": "1"}),
        _record("https://blog.example/post", text=page),
        _record("https://gpt-blocked.example/story"),
        _record("https://open.example/essay"),
        _record("https://cf.example/x", **{"Content-Signal": "search=yes, ai-train=no"}),
    ]
    (web / "crawl.jsonl").write_text("\n".join(lines) + "\n")
    robots = tmp_path / "robots"
    robots.mkdir()
    (robots / "gpt-blocked.example.txt").write_text("User-agent: GPTBot\nDisallow: /\n")
    images = tmp_path / "images"
    images.mkdir()
    iptc = shared_dir / "fixtures/iptc/IPTC-PhotometadataRef-Std2024.1.jpg"
    shutil.copy(iptc, images / "iptc.jpg")
    shutil.copy(shared_dir / "fixtures/c2pa/sample_c2pa.png", images / "c2pa.png")
    return web, images


def _scan(path: Path, out: Path, use: Use, robots: Path | None) -> list[dict[str, object]]:
    params = ScanParams(str(path), "x", None, use.value, "reservation", "2026-11-24T00:00:00Z")
    run_scan(
        open_corpus(path),
        out,
        params=params,
        policy=Policy(use, Regime.RESERVATION),
        open_snapshot=no_registry,
        index_dir=WorksIndex().save(out.parent / f"{out.name}-index"),
        signals=CorpusSignals(robots),
    )
    return [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]


def test_each_signal_excludes_for_training_and_not_for_search(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    web, images = corpus
    robots = tmp_path / "robots"
    training = _scan(web, tmp_path / "train", Use.AI_TRAINING, robots)
    assert [r["reasons"] for r in training] == [
        ["reserved:tdmrep"],
        ["reserved:robots-meta"],
        ["reserved:robots.txt"],
        ["unreserved"],
        ["reserved:content-signal"],
    ]
    assert training[2]["signals"][0]["value"] == "User-agent: GPTBot Disallow"
    search = _scan(web, tmp_path / "search", Use.SEARCH, robots)
    assert [r["decision"] for r in search] == ["include"] * 5
    assert search[4]["signals"][0]["allowed"] == ["search"]
    c2pa, photo = _scan(images, tmp_path / "img-train", Use.AI_TRAINING, None)
    assert photo["reasons"] == ["reserved:iptc"]
    assert c2pa["reasons"] == ["reserved:c2pa"]
    c2pa_search, photo_search = _scan(images, tmp_path / "img-search", Use.SEARCH, None)
    # Neither reservation covers search: both images are used for it, signals recorded.
    assert photo_search["reasons"] == ["unreserved"]
    assert photo_search["signals"][0]["value"] == "DMI-PROHIBITED-GENAIMLTRAINING"
    assert c2pa_search["reasons"] == ["unreserved"]
    assert len(c2pa_search["signals"]) == 4


def test_cli_signals_shows_one_record_with_its_hosts_robots(
    corpus: tuple[Path, Path], tmp_path: Path
) -> None:
    web, _ = corpus
    runner = CliRunner()
    args = ["signals", f"{web / 'crawl.jsonl'}#2", "--robots-dir", str(tmp_path / "robots")]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["item_id"] == "crawl.jsonl#2"
    assert [s["value"] for s in shown["signals"]] == ["User-agent: GPTBot Disallow"]
    missing = runner.invoke(app, ["signals", f"{web / 'crawl.jsonl'}#99"])
    assert missing.exit_code != 0
    assert "no item" in str(missing.exception)
