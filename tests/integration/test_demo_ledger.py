"""The demo's ledger step: a training, inference uses, statements that add up, credits."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from consentry.actions.demo import BASE_STEPS, run_demo
from consentry.actions.demo_ledger import use_pay_credit


def test_demo_ledger_step_writes_statements_and_credits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, use_pay_credit))
    bodies = json.loads(ctx.paths["ledger:statements.json"].read_text())
    gbp = [b for b in bodies if b["currency"] == "GBP"]
    assert gbp, bodies
    # The licence's minimum (300.00) is more than flat + tokens + uses, so the
    # parties' totals add up to exactly the minimum.
    assert sum(Decimal(b["total"]) for b in gbp) == Decimal("300.00")
    for b in gbp:
        assert sum(Decimal(x["amount"]) for x in b["lines"]) == Decimal(b["total"])
    rows = list(csv.DictReader(ctx.paths["ledger:statements.csv"].open()))
    assert {r["statement"] for r in rows} == {b["statement"] for b in bodies}
    assert "<table>" in ctx.paths["ledger:statements.html"].read_text()
    credits = ctx.paths["ledger:CREDITS"].read_text()
    assert credits.startswith("Credits for northwind-base 1.0")
    assert json.loads(ctx.paths["ledger:credits.json"].read_text())["works"]
