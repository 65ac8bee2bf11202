"""The demo's complaint step: filed, checked against the scan, answered and settled."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from consentry.actions.demo import BASE_STEPS, DEVELOPER, run_demo
from consentry.actions.demo_complaints import COMPLAINANT, WORK, complaint
from consentry.actions.log import entries
from consentry.actions.workspace import open_workspace

SCHEMA = (
    Path(__file__).resolve().parents[2] / "src" / "consentry" / "schemas" / "complaint.schema.json"
)


def test_the_refusing_author_complains_and_the_scan_shows_the_exclusion(tmp_path: Path) -> None:
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, complaint))
    done = json.loads(ctx.paths["complaint"].read_text(encoding="utf-8"))
    jsonschema.validate(done, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert (done["complainant_id"], done["developer_id"], done["work_id"]) == (
        COMPLAINANT,
        DEVELOPER,
        WORK,
    )
    assert ctx.scan is not None and done["dataset_version_id"] == ctx.scan.dataset_version
    assert done["state"] == "resolved" and done["resolution"]["outcome"] == "settled"
    assert done["answer"]["reason"] == "not_used"
    [row] = done["check"]["rows"]
    assert done["check"]["verdict"] == "excluded"
    assert (row["item_id"], row["decision"], row["reasons"]) == (
        "web/genesis-page.html",
        "exclude",
        ["withheld"],
    )
    manifest = ctx.paths["manifest"].read_text(encoding="utf-8").splitlines()
    assert json.loads(manifest[row["row"]])["item_id"] == row["item_id"]
    ws = open_workspace(f"sqlite:///{ctx.paths['registry']}")
    try:
        types = [e.type for e in entries(ws)]
    finally:
        ws.close()
    assert types[-3:] == ["complaint.filed", "complaint.answered", "complaint.resolved"]
