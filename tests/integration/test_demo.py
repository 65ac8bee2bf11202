"""``consentry demo`` from nothing: the registry, the files and every decision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consentry.actions.demo import MARKER, run_demo
from consentry.errors import InvalidInput

EXPECTED = {
    "ruth": "licensed",
    "jonah": "withheld",
    "ecclesiastes": "unassured",
    "proverbs": "unlicensed",
    "psalms": "unlicensed",
    "genesis": "withheld",
    "astronaut": "licensed",
    "rocket": "withheld",
    "coffee": "unlicensed",
    "chelsea": "licensed",
}


def test_demo_builds_a_registry_and_decides_every_sample_work(tmp_path: Path) -> None:
    ctx = run_demo(tmp_path / "demo")
    rows = json.loads(ctx.paths["consent"].read_text())
    reasons = {r["work_id"]: r["reason"].split(":")[0] for r in rows}
    assert reasons == EXPECTED
    included = {r["work_id"] for r in rows if r["decision"] == "include"}
    assert included == {w for w, reason in EXPECTED.items() if reason == "licensed"}
    assert ctx.paths["registry"].is_file()
    assert (tmp_path / "demo" / "works" / "SOURCES.md").is_file()


def test_demo_runs_again_over_its_own_folder(tmp_path: Path) -> None:
    run_demo(tmp_path / "demo")
    again = run_demo(tmp_path / "demo")
    assert len(again.reports) == len(EXPECTED)
    assert (tmp_path / "demo" / MARKER).is_file()


def test_demo_refuses_to_replace_a_folder_it_did_not_make(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("years of work")
    with pytest.raises(InvalidInput, match="not made by `consentry demo`"):
        run_demo(mine)
    assert (mine / "thesis.txt").read_text() == "years of work"
