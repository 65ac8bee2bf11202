"""The demo's request: Northwind AI asks for the works its scan excluded, and every party answers.

The first scan excluded Coffee (``unlicensed``: no licence) and Ecclesiastes
(``unassured``: its translator never agreed). Northwind AI requests exactly
those works for training, with a per-work fee and an attribution duty. Ada and
Ben (the creators of Ecclesiastes) and Lantern Press (its publisher) grant;
Dara, who took the Coffee photograph, refuses. The licence that comes into
force covers Ecclesiastes only; a re-scan includes it and still excludes
Coffee (``ctx.scan`` stays the first scan, for the steps that use it). The
request and the licence are written as ODRL 2.2 beside the scan.
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

from consentry.actions.answers import answer_request
from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.actions.odrl import export_licence, export_request
from consentry.actions.requests import create_request
from consentry.actions.scan import scan
from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_dict
from consentry.licensing.types import AnswerKind, Terms

REFUSER = "p_dara"
GRANTORS = ("p_ada", "p_ben", "p_lantern")


def request_excluded(ctx: DemoContext) -> None:
    """Request the works the scan excluded; the parties answer; re-scan with the new licence."""
    if "manifest" not in ctx.paths:
        raise InvalidInput("the request step runs after the scan step")
    now = ctx.ws.now()
    terms = Terms(
        uses=frozenset({Use.AI_TRAINING}),
        starts_at=now,
        ends_at=now + timedelta(days=365),
        purpose="fine-tune Northwind's summariser on public-domain scripture",
        fee_terms=fee_terms_from_dict({"currency": "GBP", "per_work": "150.00"}),
        attribution="credit every creator and the publisher in the model card",
    )
    made = create_request(ctx.ws, DEVELOPER, terms, from_scan=ctx.paths["manifest"].parent)
    rid = made.request.id
    answer_request(ctx.ws, rid, REFUSER, AnswerKind.REFUSE, reason="not for AI training")
    licences = [
        lic
        for party in GRANTORS
        for lic in answer_request(ctx.ws, rid, party, AnswerKind.GRANT).licences
    ]
    out = ctx.root / "rescan"
    scan(ctx.ws, ctx.paths["corpus"], out, developer_ref=DEVELOPER, workers=1)
    ctx.paths["request"] = _write(ctx.root / "request.odrl.json", export_request(ctx.ws, rid))
    for licence in licences:
        ctx.paths["licence"] = _write(
            ctx.root / "licence.odrl.json", export_licence(ctx.ws, licence.id)
        )
    ctx.paths["rescan"] = out / "manifest.jsonl"


def _write(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
