"""Complaints with their moves, evidence and the check's manifest rows."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import astuple
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update

from consentry.errors import ConflictError, NotFound
from consentry.licensing.complaints import (
    Actor,
    Answer,
    AnswerKind,
    Complaint,
    ComplaintState,
    Escalation,
    Move,
    Outcome,
    RejectReason,
    Remedy,
    Resolution,
)
from consentry.licensing.complaints_check import (
    ComplaintRecord,
    Evidence,
    EvidenceKind,
    RowFinding,
    RowUse,
    TrainingRef,
    UseCheck,
    Verdict,
)
from consentry.store.tables_complaints import (
    complaint_evidence,
    complaint_rows,
    complaint_steps,
    complaints,
)


class ComplaintStore:
    """Reads and writes complaints over the unit of work's connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_complaint(self, record: ComplaintRecord) -> None:
        """Insert a newly filed complaint, its evidence and the rows its check found."""
        c, check = record.complaint, record.check
        self.conn.execute(
            insert(complaints).values(
                id=c.id,
                complainant_id=c.complainant_id,
                developer_id=c.developer_id,
                work_id=c.work_id,
                dataset_version_id=c.dataset_version_id,
                model_version_id=c.model_version_id,
                statement=c.statement,
                filed_at=c.filed_at,
                answer_by=c.answer_by,
                state=c.state.value,
                version=c.version,
                verdict=check.verdict.value,
                unchecked=json.dumps(list(check.unchecked)),
                trainings=json.dumps([list(astuple(t)) for t in check.trainings]),
            )
        )
        if record.evidence:
            self.conn.execute(
                insert(complaint_evidence),
                [_evidence_row(c.id, i, e) for i, e in enumerate(record.evidence)],
            )
        if check.rows:
            self.conn.execute(
                insert(complaint_rows), [_finding_row(c.id, i, r) for i, r in enumerate(check.rows)]
            )

    def record_move(self, before: Complaint, after: Complaint) -> None:
        """Store ``after`` if the complaint is still as ``before`` left it, else ConflictError."""
        changed = self.conn.execute(
            update(complaints)
            .where(complaints.c.id == before.id, complaints.c.version == before.version)
            .values(state=after.state.value, version=after.version)
        )
        if changed.rowcount != 1:
            raise ConflictError(
                f"complaint {before.id} was changed by someone else first; nothing was written",
                hint=f"see `consentry complaints show {before.id}` and try again",
            )
        self.conn.execute(insert(complaint_steps).values(_step_row(after)))

    def get_complaint(self, complaint_id: str) -> ComplaintRecord:
        """The complaint with its evidence and check, or NotFound."""
        head = (
            self.conn.execute(select(complaints).where(complaints.c.id == complaint_id))
            .mappings()
            .one_or_none()
        )
        if head is None:
            raise NotFound(f"no complaint {complaint_id!r}", hint="see `consentry complaints list`")
        evidence = self.conn.execute(
            select(complaint_evidence)
            .where(complaint_evidence.c.complaint_id == complaint_id)
            .order_by(complaint_evidence.c.position)
        ).mappings()
        rows = self.conn.execute(
            select(complaint_rows)
            .where(complaint_rows.c.complaint_id == complaint_id)
            .order_by(complaint_rows.c.position)
        ).mappings()
        found = tuple(_finding(r) for r in rows)
        check = UseCheck(
            Verdict(head["verdict"]),
            found,
            tuple(json.loads(head["unchecked"])),
            tuple(TrainingRef(*t) for t in json.loads(head["trainings"])),
        )
        complaint = _complaint(head, self._steps([complaint_id])[complaint_id])
        return ComplaintRecord(complaint, tuple(_evidence(e) for e in evidence), check)

    def list_complaints(
        self,
        *,
        party_id: str | None = None,
        work_id: str | None = None,
        state: ComplaintState | None = None,
    ) -> list[tuple[Complaint, Verdict]]:
        """Complaints by filing time; optionally one party's (either side), work's or state."""
        query = select(complaints).order_by(complaints.c.filed_at, complaints.c.id)
        if party_id is not None:
            query = query.where(
                (complaints.c.complainant_id == party_id) | (complaints.c.developer_id == party_id)
            )
        if work_id is not None:
            query = query.where(complaints.c.work_id == work_id)
        if state is not None:
            query = query.where(complaints.c.state == state.value)
        heads = list(self.conn.execute(query).mappings())
        steps = self._steps([h["id"] for h in heads])
        return [(_complaint(h, steps[h["id"]]), Verdict(h["verdict"])) for h in heads]

    def _steps(self, ids: Sequence[str]) -> dict[str, list[RowMapping]]:
        found: dict[str, list[RowMapping]] = defaultdict(list)
        if not ids:
            return found
        query = (
            select(complaint_steps)
            .where(complaint_steps.c.complaint_id.in_(ids))
            .order_by(complaint_steps.c.complaint_id, complaint_steps.c.seq)
        )
        for row in self.conn.execute(query).mappings():
            found[row["complaint_id"]].append(row)
        return found


def _step_row(after: Complaint) -> dict[str, Any]:
    base = {"complaint_id": after.id, "seq": after.version}
    if after.state is ComplaintState.ANSWERED and after.answer is not None:
        a = after.answer
        return base | {
            "move": Move.ANSWER.value,
            "party_id": a.by,
            "actor": Actor.DEVELOPER.value,
            "at": a.at,
            "answer": a.kind.value,
            "remedy": a.remedy.value if a.remedy else None,
            "reason": a.reason.value if a.reason else None,
            "licence_id": a.licence_id,
            "amount": a.amount,
            "currency": a.currency,
            "note": a.note,
        }
    if after.state is ComplaintState.ESCALATED and after.escalation is not None:
        e = after.escalation
        return base | {
            "move": Move.ESCALATE.value,
            "party_id": e.by,
            "actor": e.actor.value,
            "at": e.at,
            "overdue": int(e.overdue),
            "note": e.note,
        }
    if after.state is ComplaintState.RESOLVED and after.resolution is not None:
        r = after.resolution
        return base | {
            "move": Move.RESOLVE.value,
            "party_id": None if r.by_account else r.by,
            "account_id": r.by if r.by_account else None,
            "actor": r.actor.value,
            "at": r.at,
            "outcome": r.outcome.value,
            "remedy": r.remedy.value if r.remedy else None,
            "note": r.note,
        }
    raise ValueError(f"complaint {after.id} in state {after.state} has no move to store")


def _complaint(head: RowMapping, steps: Sequence[RowMapping]) -> Complaint:
    answer = escalation = resolution = None
    for s in steps:
        if s["move"] == Move.ANSWER:
            answer = Answer(
                kind=AnswerKind(s["answer"]),
                by=s["party_id"],
                at=s["at"],
                remedy=Remedy(s["remedy"]) if s["remedy"] else None,
                reason=RejectReason(s["reason"]) if s["reason"] else None,
                licence_id=s["licence_id"],
                amount=s["amount"],
                currency=s["currency"],
                note=s["note"],
            )
        elif s["move"] == Move.ESCALATE:
            escalation = Escalation(
                s["party_id"], Actor(s["actor"]), s["at"], bool(s["overdue"]), s["note"]
            )
        else:
            resolution = Resolution(
                outcome=Outcome(s["outcome"]),
                by=s["party_id"] or s["account_id"],
                actor=Actor(s["actor"]),
                at=s["at"],
                remedy=Remedy(s["remedy"]) if s["remedy"] else None,
                note=s["note"],
                by_account=s["account_id"] is not None,
            )
    return Complaint(
        id=head["id"],
        complainant_id=head["complainant_id"],
        developer_id=head["developer_id"],
        work_id=head["work_id"],
        filed_at=head["filed_at"],
        answer_by=head["answer_by"],
        dataset_version_id=head["dataset_version_id"],
        model_version_id=head["model_version_id"],
        statement=head["statement"],
        state=ComplaintState(head["state"]),
        answer=answer,
        escalation=escalation,
        resolution=resolution,
        version=head["version"],
    )


def _evidence_row(complaint_id: str, position: int, e: Evidence) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "position": position,
        "kind": e.kind.value,
        "sha256": e.sha256,
        "item_id": e.item_id,
        "matches": json.dumps(list(e.matches)),
        "holds_work": None if e.holds_work is None else int(e.holds_work),
    }


def _evidence(row: RowMapping) -> Evidence:
    holds = row["holds_work"]
    return Evidence(
        kind=EvidenceKind(row["kind"]),
        sha256=row["sha256"],
        item_id=row["item_id"],
        matches=tuple(json.loads(row["matches"])),
        holds_work=None if holds is None else bool(holds),
    )


def _finding_row(complaint_id: str, position: int, r: RowFinding) -> dict[str, Any]:
    return {
        "complaint_id": complaint_id,
        "position": position,
        "dataset_version_id": r.dataset_version_id,
        "row_index": r.row,
        "item_id": r.item_id,
        "decision": r.decision,
        "reasons": json.dumps(list(r.reasons)),
        "work_id": r.work_id,
        "match": r.match,
        "score": r.score,
        "licence_id": r.licence_id,
        "row_sha256": r.row_sha256,
        "use": r.use.value,
        "used_by": json.dumps(list(r.used_by)),
    }


def _finding(row: RowMapping) -> RowFinding:
    return RowFinding(
        dataset_version_id=row["dataset_version_id"],
        row=row["row_index"],
        item_id=row["item_id"],
        decision=row["decision"],
        reasons=tuple(json.loads(row["reasons"])),
        work_id=row["work_id"],
        match=row["match"],
        score=row["score"],
        licence_id=row["licence_id"],
        row_sha256=row["row_sha256"],
        use=RowUse(row["use"]),
        used_by=tuple(json.loads(row["used_by"])),
    )
