"""Which works a request may name: refusals respected, withheld works left out of bulk asks.

* A party's refusal of a work blocks asking the same developer for that work
  again for a related use (the use, above or below it) until the party's
  cooling-off period has passed: by default never, unless the party opted in
  to be asked again (:class:`~consentry.licensing.types.Preference`).
* A bulk request (a catalogue, or the works a scan excluded) leaves out every
  work a party of which withholds a requested use, unless that party chose to
  be asked all the same.
* A scan's manifest names the registered works it excluded as ``unlicensed``
  or ``unassured``: the works a request can clear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from consentry.licensing.types import Preference

FOREVER = datetime.max.replace(tzinfo=UTC)
"""``blocked until`` for a refusal that the party never opted to reconsider."""

REQUESTABLE_REASONS = frozenset({"unlicensed", "unassured"})


@dataclass(frozen=True, slots=True)
class Refusal:
    """A party refused a developer a work for some use at some moment."""

    work_id: str
    party_id: str
    refused_at: datetime


@dataclass(frozen=True, slots=True)
class Skip:
    """A work left out of a request, the party that caused it, and until when."""

    work_id: str
    party_id: str
    why: str  # "refused" or "withheld"
    until: datetime | None = None


def blocked_until(refusal: Refusal, preference: Preference | None) -> datetime:
    """When the refusing party may be asked again (:data:`FOREVER` without its opt-in)."""
    if preference is None or preference.ask_again_days is None:
        return FOREVER
    return refusal.refused_at + timedelta(days=preference.ask_again_days)


def refused_skips(
    refusals: Iterable[Refusal], preferences: Mapping[str, Preference], at: datetime
) -> dict[str, Skip]:
    """For each work still in a refusal's cooling-off at ``at``, the latest-ending block."""
    skips: dict[str, Skip] = {}
    for refusal in refusals:
        until = blocked_until(refusal, preferences.get(refusal.party_id))
        current = skips.get(refusal.work_id)
        if at < until and (current is None or (current.until or FOREVER) < until):
            skips[refusal.work_id] = Skip(refusal.work_id, refusal.party_id, "refused", until)
    return skips


def withheld_skips(
    withheld_by_work: Mapping[str, frozenset[str]], preferences: Mapping[str, Preference]
) -> dict[str, Skip]:
    """Works left out of a bulk request: some party withholds and did not ask to be asked."""
    skips: dict[str, Skip] = {}
    for work_id, parties in sorted(withheld_by_work.items()):
        silent = sorted(p for p in parties if not _asks(preferences.get(p)))
        if silent:
            skips[work_id] = Skip(work_id, silent[0], "withheld")
    return skips


def _asks(preference: Preference | None) -> bool:
    return preference is not None and preference.ask_when_withheld


def works_a_scan_excluded(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The registered works a manifest excluded as unlicensed or unassured, sorted, once each."""
    found: set[str] = set()
    for row in rows:
        codes = {str(r).split(":", 1)[0] for r in row.get("reasons") or ()}
        if row.get("decision") == "exclude" and row.get("work_id") and codes & REQUESTABLE_REASONS:
            found.add(str(row["work_id"]))
    return sorted(found)
