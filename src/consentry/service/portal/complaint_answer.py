"""A developer's answer to a complaint, read from its form: accept with a remedy, or reject."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from consentry.errors import InvalidInput
from consentry.licensing.complaints import AnswerKind, RejectReason, Remedy

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
    remedy = _choice(Remedy, form.get("remedy", ""), "a remedy")
    extra["remedy"] = remedy
    if remedy is Remedy.LICENSE:
        extra["licence_id"] = form.get("licence_id", "").strip()[:80] or None
    if remedy is Remedy.PAY:
        text = form.get("amount", "").strip()[:30]
        try:
            extra["amount"] = Decimal(text) if text else None
        except InvalidOperation:
            raise InvalidInput(f"{text!r} is not an amount") from None
        extra["currency"] = form.get("currency", "").strip().upper()[:3] or None
    return AnswerKind.ACCEPT, extra


def _choice(kind: Any, value: str, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        raise InvalidInput(f"choose {what}") from None
