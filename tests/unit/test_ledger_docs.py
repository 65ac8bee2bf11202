"""docs/ledger.md's worked examples are what the code computes."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from consentry.domain import Contribution, Rights, Work, WorkKind
from consentry.fees import fee_terms_from_dict
from consentry.ledger.charges import WorkTotals, licence_charges
from consentry.ledger.money import format_amount, to_minor
from consentry.ledger.splits import party_fractions, split_minor

DOC = (Path(__file__).resolve().parents[2] / "docs" / "ledger.md").read_text(encoding="utf-8")


def _blocks(kind: str) -> list[dict[str, str]]:
    found = re.findall(rf"```{kind}\n(.*?)```", DOC, re.S)
    return [dict(line.split(": ", 1) for line in block.strip().splitlines()) for block in found]


def _works(text: str) -> list[WorkTotals]:
    works = []
    for part in text.split("; "):
        name, *fields = part.split()
        values = {k: int(v) for k, v in (f.split("=") for f in fields)}
        works.append(
            WorkTotals(
                name,
                items=values.get("items", 0),
                tokens=values.get("tokens", 0),
                inference_uses=values.get("uses", 0),
            )
        )
    return works


@pytest.mark.parametrize("example", _blocks("ledger-example"))
def test_fee_examples(example: dict[str, str]) -> None:
    terms = fee_terms_from_dict(json.loads(example["terms"]))
    charges = licence_charges("l", terms, _works(example["works"]))
    got = [f"{c.work_id} {c.basis} {format_amount(c.amount_minor, c.currency)}" for c in charges]
    assert got == example["lines"].split("; ")


@pytest.mark.parametrize("example", _blocks("split-example"))
def test_split_examples(example: dict[str, str]) -> None:
    creators, holders = [], []
    for part in example["shares"].split("; "):
        party, share, group = part.split()
        value = None if share == "-" else Decimal(share)
        if group == "creator":
            creators.append(Contribution(party, share=value))
        else:
            holders.append(Rights(party, share=value))
    work = Work("w", "W", WorkKind.TEXT, contributions=tuple(creators), rights=tuple(holders))
    amount, currency = example["amount"].split()
    parts = split_minor(to_minor(Decimal(amount), currency), party_fractions(work))
    got = [f"{p} {format_amount(v, currency)}" for p, v in parts.items()]
    assert got == example["parts"].split("; ")


def test_the_doc_has_examples() -> None:
    assert len(_blocks("ledger-example")) >= 4 and _blocks("split-example")
