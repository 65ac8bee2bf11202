"""Credits for a model version: every creator of every work it used, as CREDITS, JSON and HTML."""

from __future__ import annotations

import json
from pathlib import Path

from consentry.actions.ledger_inference import credits_for
from consentry.actions.workspace import Workspace
from consentry.ledger.credits import WorkCredits, credits_html, credits_json, credits_text
from consentry.ledger.records import OpenUse
from consentry.store.ledger import LedgerUseStore


def model_credits(
    ws: Workspace, name: str, version: str
) -> tuple[list[WorkCredits], list[OpenUse]]:
    """The credits of every work the model version used (trained on or used at inference)."""
    with ws.transaction() as registry:
        model = registry.find_model_version(name, version)
        store = LedgerUseStore(registry.conn)
        work_ids = sorted({r.work_id for r in store.uses(model_version_id=model.id)})
        credits = credits_for(registry, work_ids)
        opens = store.open_uses(model.id)
    return list(credits.values()), opens


def write_credits(ws: Workspace, name: str, version: str, out_dir: Path) -> dict[str, Path]:
    """Write ``CREDITS``, ``credits.json`` and ``credits.html`` into ``out_dir``; their paths."""
    works, opens = model_credits(ws, name, version)
    out_dir.mkdir(parents=True, exist_ok=True)
    texts = {
        "CREDITS": credits_text(name, version, works, opens),
        "credits.json": json.dumps(credits_json(name, version, works, opens), indent=2) + "\n",
        "credits.html": credits_html(name, version, works, opens),
    }
    paths = {}
    for file_name, text in texts.items():
        tmp = out_dir / f".{file_name}.tmp"
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(out_dir / file_name)
        paths[file_name] = out_dir / file_name
    return paths
