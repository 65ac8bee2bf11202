"""The complaint the complaint-rule tests start from: Ada's, against Devco, about one dataset.

Shared by ``test_complaints_machine.py`` and ``test_complaints_admin_accounts.py``
so that both test the rules on the same filing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from consentry.licensing import complaints as rules
from consentry.licensing.complaints import Actor, Answer, AnswerKind, Complaint, RejectReason

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAY = timedelta(days=1)
PARTY = {Actor.COMPLAINANT: "p_ada", Actor.DEVELOPER: "p_dev", Actor.ADMINISTRATOR: "p_admin"}


def filed(**changes: object) -> Complaint:
    """Ada's complaint against Devco's dataset ``ds_1``, filed at ``T0`` with 14 days to answer."""
    base = Complaint(
        id="cmp_1",
        complainant_id="p_ada",
        developer_id="p_dev",
        work_id="genesis",
        filed_at=T0,
        answer_by=rules.answer_deadline(T0, 14),
        dataset_version_id="ds_1",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def reject(at: datetime = T0 + DAY, by: str = "p_dev") -> Answer:
    """A developer's answer rejecting the complaint (the work was not used)."""
    return Answer(AnswerKind.REJECT, by, at, reason=RejectReason.NOT_USED)


def escalated() -> Complaint:
    """The filed complaint, rejected by Devco and escalated by Ada: an administrator's to decide."""
    return rules.escalate(rules.answer(filed(), reject()), "p_ada", Actor.COMPLAINANT, T0 + DAY)
