"""Requests, answers, counters, licences in force, catalogue assurance, ODRL (pure).

A developer asks in advance and in detail (:class:`LicenceRequest`); every
creator and rightsholder of each work answers for itself or through a mandate
(:class:`Answer`, :class:`Counter`); a work's licence comes into force only
when all of them granted (:func:`work_status`). Refusals are respected
(:mod:`consentry.licensing.selection`) and everything exports as ODRL 2.2
(:mod:`consentry.licensing.odrl`). The rules are in ``docs/requests.md``.
"""

from __future__ import annotations

from consentry.licensing.rules import check_answer, ready_to_license, work_status
from consentry.licensing.types import (
    BASE_TERMS,
    Answer,
    AnswerKind,
    Authority,
    Counter,
    CounterState,
    LicenceRequest,
    Origin,
    PartyState,
    PartyStatus,
    Preference,
    RequestStatus,
    Terms,
    WorkState,
    WorkStatus,
)

__all__ = [
    "BASE_TERMS",
    "Answer",
    "AnswerKind",
    "Authority",
    "Counter",
    "CounterState",
    "LicenceRequest",
    "Origin",
    "PartyState",
    "PartyStatus",
    "Preference",
    "RequestStatus",
    "Terms",
    "WorkState",
    "WorkStatus",
    "check_answer",
    "ready_to_license",
    "work_status",
]
