"""The demo's request step: the excluded works are requested, one creator refuses, a re-scan."""

from __future__ import annotations

import json
from pathlib import Path

from consentry.actions.demo import BASE_STEPS, run_demo
from consentry.actions.demo_requests import request_excluded
from consentry.licensing.odrl import from_odrl


def _decisions(manifest: Path) -> dict[str, str]:
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    return {r["item_id"]: r["reasons"][0].split(":")[0] for r in rows}


def test_the_licence_covers_all_but_the_refused_work_and_a_rescan_honours_it(
    tmp_path: Path,
) -> None:
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, request_excluded))
    before, after = _decisions(ctx.paths["manifest"]), _decisions(ctx.paths["rescan"])
    assert before["scans/ecclesiastes-ocr.txt"] == "unassured"
    assert before["images/coffee.jpg"] == "unlicensed"
    assert after["scans/ecclesiastes-ocr.txt"] == "licensed"  # every party granted
    assert after["images/coffee.jpg"] == "unlicensed"  # Dara refused
    unchanged = {k: v for k, v in before.items() if k not in ("scans/ecclesiastes-ocr.txt",)}
    assert {k: after[k] for k in unchanged} == unchanged
    request = from_odrl(json.loads(ctx.paths["request"].read_text()))
    assert request.kind == "Request" and set(request.work_ids) == {"coffee", "ecclesiastes"}
    licence = from_odrl(json.loads(ctx.paths["licence"].read_text()))
    assert licence.kind == "Agreement" and licence.work_ids == ("ecclesiastes",)
    assert {g.party_id for g in licence.grants} == {"p_ada", "p_ben", "p_lantern"}
    assert sum(v == "licensed" for v in after.values()) == 4
