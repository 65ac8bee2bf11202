"""Checks every ledger recording shares: the period must be open; which licence covered a use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from consentry.domain import Use
from consentry.errors import ConflictError
from consentry.ledger.periods import parse_period
from consentry.store import Registry
from consentry.store.ledger_money import LedgerMoneyStore


def ensure_open(registry: Registry, at: datetime) -> None:
    """ConflictError when a statement already closed the period holding ``at``."""
    for name in LedgerMoneyStore(registry.conn).closed_periods():
        if parse_period(name).holds(at):
            raise ConflictError(
                f"period {name} is closed: its statements were issued",
                hint="record a correction as an adjusting entry dated in an open period",
            )


def licence_for(
    registry: Registry,
    work_ids: Iterable[str],
    *,
    developer_id: str | None,
    use: Use,
    at: datetime,
    model: str | None,
    territory: str | None,
) -> dict[str, str]:
    """For each work, the licence that covered this use; absent when none did.

    When several cover it, a licence with fee terms comes before one without
    (a licence without terms names no price), then the earliest, then by id.
    """
    wanted = sorted(set(work_ids))
    if developer_id is None or not wanted:
        return {}
    found: dict[str, str] = {}
    for work_id, licences in registry.licences_for_works(wanted).items():
        ranked = sorted(licences, key=lambda x: (x.fee_terms is None, x.starts_at, x.id))
        for licence in ranked:
            if licence.covers(
                work_id=work_id,
                developer_id=developer_id,
                use=use,
                at=at,
                model=model,
                territory=territory,
            ):
                found[work_id] = licence.id
                break
    return found
