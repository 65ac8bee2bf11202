"""Complaint forms read into action arguments: a developer's answer, an administrator's decision.

The developer accepts with a remedy or rejects with a reason; an
administrator upholds an escalated complaint with a remedy or dismisses it.
Only the shape is read here; the actions check the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from consentry.errors import InvalidInput
from consentry.licensing.complaints import AnswerKind, Outcome, RejectReason, Remedy

MAX_NOTE = 4000


def answer_fields(form: Mapping[str, str]) -> tuple[AnswerKind, dict[str, Any]]:
    """The answer's kind and the keyword arguments of ``answer_complaint`` (checked there)."""
    note = form.get("note", "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is too long (at most {MAX_NOTE} characters)")
    extra: dict[str, Any] = {"note": note or None}
    kind = form.get("kind", "")
    if kind == AnswerKind.REJECT.value:
        extra["reason"] = _choice(RejectReason, form.get("reason", ""), "a reason")
        return AnswerKind.REJECT, extra
    if kind != AnswerKind.ACCEPT.value:
        raise InvalidInput("choose to accept or to reject the complaint")
    extra |= _remedy(form)
    return AnswerKind.ACCEPT, extra


def _remedy(form: Mapping[str, str]) -> dict[str, Any]:
    """The remedy chosen and what it needs (a licence, or an amount and a currency)."""
    remedy = _choice(Remedy, form.get("remedy", ""), "a remedy")
    extra: dict[str, Any] = {"remedy": remedy}
    if remedy is Remedy.LICENSE:
        extra["licence_id"] = form.get("licence_id", "").strip()[:80] or None
    if remedy is Remedy.PAY:
        text = form.get("amount", "").strip()[:30]
        try:
            extra["amount"] = Decimal(text) if text else None
        except InvalidOperation:
            raise InvalidInput(f"{text!r} is not an amount") from None
        extra["currency"] = form.get("currency", "").strip().upper()[:3] or None
    return extra


def decision_fields(form: Mapping[str, str]) -> tuple[Outcome, dict[str, Any]]:
    """An administrator's decision: ``upheld`` with a remedy, or ``dismissed``; and a note."""
    note = form.get("note", "").strip()
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is too long (at most {MAX_NOTE} characters)")
    extra: dict[str, Any] = {"note": note or None}
    outcome = form.get("outcome", "")
    if outcome == Outcome.DISMISSED.value:
        return Outcome.DISMISSED, extra
    if outcome != Outcome.UPHELD.value:
        raise InvalidInput("choose to uphold or to dismiss the complaint")
    extra |= _remedy(form)
    if extra["remedy"] is Remedy.REMOVE:
        extra["dataset_id"] = form.get("dataset", "").strip()[:80] or None
    return Outcome.UPHELD, extra


def _choice(kind: Any, value: str, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"choose {what}") from None
