"""docs/requests.md and docs/odrl.md hold to the code: states, authorities, entries, examples."""

from __future__ import annotations

import json
import re
from pathlib import Path

from consentry.evidence.entry import EntryType
from consentry.licensing import AnswerKind, Authority, CounterState, RequestStatus, WorkState
from consentry.licensing.odrl import from_odrl, to_odrl

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _table(text: str, heading: str) -> list[str]:
    """The first column (in backticks) of the table whose header starts with ``heading``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {heading} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(re.findall(r"`([^`]+)`", line.split("|")[1])[0])
    return rows


def test_the_tables_name_exactly_the_states_and_authorities_in_the_code() -> None:
    text = (DOCS / "requests.md").read_text(encoding="utf-8")
    assert _table(text, "state") == [s.value for s in RequestStatus]
    assert _table(text, "answer") == [k.value for k in AnswerKind]
    assert _table(text, "authority") == [a.value for a in Authority]
    assert _table(text, "counter state") == [s.value for s in CounterState]
    assert _table(text, "work state") == [s.value for s in WorkState]
    entries = _table(text, "entry")
    assert all(EntryType(e) for e in entries) and len(entries) == 7


def test_every_odrl_example_is_read_back_exactly() -> None:
    text = (DOCS / "odrl.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)\n```", text, flags=re.DOTALL)
    kinds = []
    for block in blocks:
        doc = json.loads(block)
        policy = from_odrl(doc)
        assert to_odrl(policy) == doc
        kinds.append(policy.kind)
    assert kinds == ["Request", "Offer", "Agreement"]
