"""docs/complaints.md states the rules and the log entries that the code implements."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from consentry.evidence import events_complaints as events
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    MOVES,
    Actor,
    Answer,
    AnswerKind,
    Complaint,
    ComplaintState,
    Move,
    Outcome,
    Remedy,
)
from consentry.licensing.complaints_check import ComplaintRecord, UseCheck, Verdict

DOC = (Path(__file__).resolve().parents[2] / "docs" / "complaints.md").read_text(encoding="utf-8")
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _table(first_header: str) -> list[list[str]]:
    """The rows of the markdown table whose first header cell is ``first_header``."""
    lines = DOC.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def test_the_who_may_table_is_the_rules() -> None:
    documented = {}
    for state, move, who, _ in _table("state"):
        if move == "(none)":
            assert state == ComplaintState.RESOLVED and who == "nobody"
            continue
        documented[(ComplaintState(state), Move(move))] = frozenset(
            Actor(w.strip()) for w in who.split(",")
        )
    assert documented == dict(MOVES)


def test_the_documented_outcomes_are_the_code() -> None:
    named = set(re.findall(r"`(settled|withdrawn|upheld|dismissed)`", DOC))
    assert named == {o.value for o in Outcome}
    assert {o for (_, _), allowed in rules.OUTCOMES.items() for o in allowed} == set(Outcome)


def test_the_log_table_lists_every_field() -> None:
    complaint = Complaint("cmp_1", "p_a", "p_d", "w", T0, rules.answer_deadline(T0, 1), "ds_1")
    record = ComplaintRecord(complaint, (), UseCheck(Verdict.NOT_FOUND, ()))
    answer = Answer(AnswerKind.ACCEPT, "p_d", T0, Remedy.PAY, amount=Decimal(1), currency="GBP")
    answered = rules.answer(complaint, answer)
    escalated = rules.escalate(answered, "p_a", Actor.COMPLAINANT, T0)
    resolved = rules.resolve(escalated, "p_x", Actor.ADMINISTRATOR, Outcome.DISMISSED, T0)
    built = [
        events.complaint_filed(record),
        events.complaint_answered(answered),
        events.complaint_escalated(escalated),
        events.complaint_resolved(resolved),
    ]
    documented = {row[0].strip("`"): row[1].split(", ") for row in _table("entry")}
    assert documented == {e.type.value: list(e.fields) for e in built}
