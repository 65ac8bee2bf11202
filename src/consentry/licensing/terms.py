"""Terms as plain JSON-ready data and back (a counter's terms are stored so)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_dict, fee_terms_to_dict
from consentry.licensing.types import Terms


def check_terms(terms: Terms) -> Terms:
    """``terms`` when sound; :class:`InvalidInput` naming what is wrong otherwise."""
    if not terms.uses:
        raise InvalidInput("a request needs at least one use")
    if terms.starts_at.tzinfo is None or (terms.ends_at and terms.ends_at.tzinfo is None):
        raise InvalidInput("the term's start and end need a time zone (UTC)")
    if terms.ends_at is not None and terms.ends_at <= terms.starts_at:
        raise InvalidInput("the term ends before it starts")
    return terms


def terms_to_dict(terms: Terms) -> dict[str, Any]:
    """Terms as JSON-ready data (amounts as decimal strings, times as ISO 8601)."""
    return {
        "uses": sorted(u.value for u in terms.uses),
        "models": sorted(terms.models),
        "territories": sorted(terms.territories),
        "purpose": terms.purpose,
        "starts_at": terms.starts_at.isoformat(),
        "ends_at": terms.ends_at.isoformat() if terms.ends_at else None,
        "fee_terms": fee_terms_to_dict(terms.fee_terms) if terms.fee_terms else None,
        "attribution": terms.attribution,
    }


def _time(value: object, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise InvalidInput(f"terms: {name} {value!r} is not an ISO 8601 time") from exc
    if parsed.tzinfo is None:
        raise InvalidInput(f"terms: {name} needs a time zone")
    return parsed


def _uses(raw: object) -> frozenset[Use]:
    try:
        return frozenset(Use(u) for u in raw or ())  # type: ignore[attr-defined]
    except (ValueError, TypeError) as exc:
        raise InvalidInput(f"terms: unknown use in {raw!r}", hint="see docs/uses.md") from exc


def terms_from_dict(raw: Any) -> Terms:
    """The inverse of :func:`terms_to_dict`, checked."""
    if not isinstance(raw, dict):
        raise InvalidInput("terms must be a JSON object")
    fees = raw.get("fee_terms")
    return check_terms(
        Terms(
            uses=_uses(raw.get("uses")),
            starts_at=_time(raw.get("starts_at"), "starts_at"),
            ends_at=_time(raw["ends_at"], "ends_at") if raw.get("ends_at") else None,
            models=frozenset(str(m) for m in raw.get("models") or ()),
            territories=frozenset(str(t) for t in raw.get("territories") or ()),
            purpose=str(raw.get("purpose") or ""),
            fee_terms=fee_terms_from_dict(fees) if fees is not None else None,
            attribution=raw.get("attribution"),
        )
    )
