"""The filing check over manifest rows and trainings, its log entries and its JSON shape."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from decimal import Decimal
from importlib import resources
from typing import Any

import jsonschema
import pytest
from complaints_world import T0, filed

from consentry.evidence import events_complaints as events
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    Actor,
    Answer,
    AnswerKind,
    Outcome,
    Remedy,
)
from consentry.licensing.complaints_check import (
    ComplaintRecord,
    Evidence,
    EvidenceKind,
    RowQuery,
    RowUse,
    TrainingRef,
    Verdict,
    check_use,
    select_rows,
)
from consentry.licensing.complaints_json import SCHEMA, record_as_dict


def row(item: str, decision: str, work: str | None, **extra: Any) -> bytes:
    body = {
        "item_id": item,
        "sha256": extra.pop("sha256", None),
        "content_sha256": None,
        "decision": decision,
        "reasons": extra.pop("reasons", ["withheld" if decision == "exclude" else "licensed"]),
        "work_id": work,
        "match": "exact" if work else None,
        "score": 1.0 if work else None,
        "licence_id": extra.pop("licence_id", None),
        "matches": extra.pop("matches", [{"work_id": work}] if work else []),
        **extra,
    }
    return (json.dumps(body) + "\n").encode()


MANIFEST = [
    row("a.txt", "exclude", "w1"),
    row("b.txt", "include", "w2", licence_id="lic_2"),
    row("anthology.txt", "exclude", "w3", matches=[{"work_id": "w3"}, {"work_id": "w1"}]),
    row("copy.bin", "exclude", None, sha256="ab" * 32, reasons=["unknown"]),
    row("other.txt", "exclude", None, reasons=["unknown"]),
]


def test_rows_are_found_by_decision_match_hash_and_item() -> None:
    query = RowQuery("w1", frozenset({"ab" * 32}), frozenset({"other.txt"}))
    found = select_rows(MANIFEST, query)
    assert [n for n, _, _ in found] == [0, 2, 3, 4]
    assert found[0][2] == hashlib.sha256(MANIFEST[0].rstrip(b"\n")).hexdigest()
    assert select_rows(MANIFEST, RowQuery("w9")) == []


def test_a_line_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(ValueError, match="row 1 is not a JSON object"):
        select_rows([MANIFEST[0], b"[1, 2]\n"], RowQuery("w1"))


def _check(work: str, trainings: list[TrainingRef]) -> Any:
    return check_use({"ds_1": select_rows(MANIFEST, RowQuery(work))}, trainings)


def test_excluded_and_trained_only_on_the_cleared_data_is_not_used() -> None:
    check = _check("w1", [TrainingRef("mv_1", "ds_1", "cleared")])
    assert check.verdict is Verdict.EXCLUDED
    assert {r.use for r in check.rows} == {RowUse.EXCLUDED}
    assert check.trainings == (TrainingRef("mv_1", "ds_1", "cleared"),)


def test_trained_on_all_makes_the_excluded_rows_unlicensed_uses() -> None:
    trainings = [TrainingRef("mv_1", "ds_1", "cleared"), TrainingRef("mv_2", "ds_1", "all")]
    check = _check("w1", trainings)
    assert check.verdict is Verdict.UNLICENSED_USE
    assert [(r.item_id, r.used_by) for r in check.rows] == [
        ("a.txt", ("mv_2",)),
        ("anthology.txt", ("mv_2",)),
    ]


def test_included_rows_are_licensed_or_unlicensed_uses() -> None:
    licensed = _check("w2", [TrainingRef("mv_1", "ds_1", "cleared")])
    assert licensed.verdict is Verdict.LICENSED_USE and licensed.rows[0].used_by == ("mv_1",)
    bare = check_use(
        {
            "ds_1": select_rows(
                [row("x.txt", "include", "w4", reasons=["unreserved"])], RowQuery("w4")
            )
        },
        [],
    )
    assert bare.verdict is Verdict.UNLICENSED_USE


def test_not_found_and_unchecked() -> None:
    assert check_use({"ds_1": []}, []).verdict is Verdict.NOT_FOUND
    missing = check_use({"ds_1": None, "ds_2": []}, [TrainingRef("mv", "ds_9", "all")])
    assert missing.verdict is Verdict.UNCHECKED and missing.unchecked == ("ds_1",)
    assert missing.trainings == ()  # a training on another dataset is not this complaint's
    assert _check("w1", []).rows_sha256() != _check("w3", []).rows_sha256()


def _record() -> ComplaintRecord:
    complaint = filed(
        work_id="w1",
        answer_by=rules.answer_deadline(T0, 30),
        statement="Ada's own words, which the log must never hold",
    )
    evidence = (
        Evidence(EvidenceKind.FILE, "cd" * 32, None, ("w1:exact:1.0000",), True),
        Evidence(EvidenceKind.ITEM, item_id="a.txt"),
    )
    return ComplaintRecord(complaint, evidence, _check("w1", []))


def test_log_entries_hold_ids_hashes_and_codes_only() -> None:
    record = _record()
    c = record.complaint
    paid = Answer(
        AnswerKind.ACCEPT,
        "p_dev",
        T0 + timedelta(days=40),
        Remedy.PAY,
        amount=Decimal("10.00"),
        currency="EUR",
        note="secret",
    )
    answered = rules.answer(c, paid)
    escalated = rules.escalate(answered, "p_ada", Actor.COMPLAINANT, T0, "why")
    resolved = rules.resolve(
        escalated, "p_adm", Actor.ADMINISTRATOR, Outcome.UPHELD, T0, remedy=Remedy.PAY
    )
    built = [
        events.complaint_filed(record),
        events.complaint_answered(answered),
        events.complaint_escalated(escalated),
        events.complaint_resolved(resolved),
    ]
    for entry in built:
        text = entry.canonical().decode()
        assert "Ada's own words" not in text and "secret" not in text and "why" not in text
    filed = built[0].fields
    assert filed["statement_sha256"] == hashlib.sha256(c.statement.encode()).hexdigest()  # type: ignore[union-attr]
    assert filed["evidence_sha256"] == ["cd" * 32] and filed["items"] == ["a.txt"]
    assert built[1].fields["late"] is True and built[1].fields["amount"] == "10.00"
    with pytest.raises(ValueError, match="no answer"):
        events.complaint_answered(c)


def test_the_json_shape_is_the_published_schema() -> None:
    schema = json.loads((resources.files("consentry") / "schemas" / SCHEMA).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    record = _record()
    data = record_as_dict(record, T0)
    jsonschema.validate(data, schema)
    answered = rules.answer(
        record.complaint,
        Answer(AnswerKind.ACCEPT, "p_dev", T0, Remedy.PAY, amount=Decimal("5"), currency="GBP"),
    )
    resolved = rules.resolve(answered, "p_ada", Actor.COMPLAINANT, Outcome.SETTLED, T0)
    jsonschema.validate(record_as_dict(ComplaintRecord(resolved, (), record.check), T0), schema)
    data["state"] = "lost"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
