"""Demo step: use, pay, credit — a training run, inference uses, statements and credits.

Runs after ``scan_corpus``. Northwind AI gets a licence with fee terms for the
works the scan cleared (training and inference, from the start of the current
quarter), records ``northwind-base`` 1.0 as trained on the cleared dataset
version for two epochs (measured into the usage ledger), records a few
answers' inference uses, issues the current quarter's statements (which
closes it) as JSON, CSV and HTML, and writes the credits. Everything goes to
``ledger/``; each file is named in ``ctx.paths`` as ``ledger:<file>``.
"""

from __future__ import annotations

import contextlib
import json

from consentry.actions import ledger
from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.actions.ledger_training import TrainingSource
from consentry.actions.licences import grant_licence
from consentry.actions.models import add_model_version, record_training
from consentry.domain import Use
from consentry.errors import ConflictError, ConsentryError
from consentry.fees import fee_terms_from_dict
from consentry.ledger.periods import quarter_of
from consentry.ledger.render import statement_csv, statement_html

MODEL = ("northwind-base", "1.0")
TERMS = {
    "currency": "GBP",
    "flat": "250.00",
    "per_token": "0.0002",
    "per_inference_use": "0.05",
    "minimum": "300.00",
}


def _cleared_works(ctx: DemoContext) -> list[str]:
    rows = map(json.loads, ctx.paths["manifest"].read_text(encoding="utf-8").splitlines())
    return sorted({r["work_id"] for r in rows if r["decision"] == "include" and r["work_id"]})


def use_pay_credit(ctx: DemoContext) -> None:
    """Record a training and inference uses, issue this quarter's statements, write credits."""
    if ctx.scan is None or ctx.scan.dataset_version is None:
        raise ConsentryError("the ledger step needs the scan step before it")
    cleared = _cleared_works(ctx)
    quarter = quarter_of(ctx.ws.now())
    grant_licence(
        ctx.ws,
        DEVELOPER,
        cleared,
        [Use.AI_TRAINING, Use.AI_INFERENCE],
        starts_at=quarter.start,
        fee_terms=fee_terms_from_dict(TERMS),
    )
    with contextlib.suppress(ConflictError):
        add_model_version(ctx.ws, *MODEL, developer_ref=DEVELOPER)
    source = TrainingSource(ctx.paths["manifest"].parent)
    record_training(ctx.ws, *MODEL, ctx.scan.dataset_version, epochs=2, source=source)
    model = ledger.find_model(ctx.ws, *MODEL)
    answers = [cleared[:2], cleared[1:3], cleared[:1]]
    ledger.record_inference_uses(ctx.ws, model.id, [a for a in answers if a])
    bodies = ledger.statement_bodies(ledger.issue_statements(ctx.ws, quarter.name))
    out = ctx.root / "ledger"
    out.mkdir(parents=True, exist_ok=True)
    texts = {
        "statements.json": json.dumps(bodies, indent=2, ensure_ascii=False) + "\n",
        "statements.csv": statement_csv(bodies),
        "statements.html": statement_html(bodies),
    }
    for name, text in texts.items():
        (out / name).write_text(text, encoding="utf-8")
        ctx.paths[f"ledger:{name}"] = out / name
    for name, path in ledger.write_credits(ctx.ws, *MODEL, out / "credits").items():
        ctx.paths[f"ledger:{name}"] = path
