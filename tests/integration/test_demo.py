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


SCANNED = {
    "books/ruth.txt": ("include", "licensed", "ruth", "exact"),
    "essays/on-loyalty.txt": ("include", "licensed", "ruth", "excerpt"),
    "images/chelsea-small.jpg": ("include", "licensed", "chelsea", "near"),
    "images/coffee.jpg": ("exclude", "unlicensed", "coffee", "exact"),
    "misc/corrupt.jpg": ("exclude", "unreadable", None, None),
    "misc/recipe.txt": ("exclude", "unknown", None, None),
    "scans/ecclesiastes-ocr.txt": ("exclude", "unassured", "ecclesiastes", "near"),
    "sermons/jonah-excerpt.txt": ("exclude", "withheld", "jonah", "excerpt"),
    "web/genesis-page.html": ("exclude", "withheld", "genesis", "near"),
}


def test_demo_scans_the_sample_corpus_and_clears_only_licensed_items(tmp_path: Path) -> None:
    ctx = run_demo(tmp_path / "demo")
    rows = {
        r["item_id"]: r for r in map(json.loads, ctx.paths["manifest"].read_text().splitlines())
    }
    assert len(rows) == 9
    for item_id, (decision, reason, work, match) in SCANNED.items():
        row = rows[item_id]
        got = (row["decision"], row["reasons"][0].split(":")[0], row["work_id"], row["match"])
        assert got == (decision, reason, work, match), item_id
    cleared = sorted(
        p.relative_to(ctx.paths["cleared"]).as_posix()
        for p in ctx.paths["cleared"].rglob("*")
        if p.is_file()
    )
    assert cleared == sorted(i for i, row in rows.items() if row["decision"] == "include")
