"""Accounting periods: a quarter (``2026-Q4``), a month (``2026-11``) or a year (``2026``).

A period runs from its first instant (UTC) up to, not including, the next
period's first instant; a use belongs to the period holding its ``used_at``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from consentry.errors import InvalidInput

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, slots=True)
class Period:
    """A named accounting period: ``start <= t < end``."""

    name: str
    start: datetime
    end: datetime

    def holds(self, at: datetime) -> bool:
        """True when ``at`` falls in this period."""
        return self.start <= at < self.end


def _month_start(year: int, month: int) -> datetime:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def parse_period(text: str) -> Period:
    """The period named ``text``; InvalidInput for anything else."""
    name = text.strip().upper()
    if m := _QUARTER.match(name):
        year, quarter = int(m[1]), int(m[2])
        first = 3 * (quarter - 1) + 1
        return Period(name, _month_start(year, first), _month_start(year, first + 3))
    if m := _MONTH.match(name):
        year, month = int(m[1]), int(m[2])
        return Period(name, _month_start(year, month), _month_start(year, month + 1))
    if m := _YEAR.match(name):
        year = int(m[1])
        return Period(name, _month_start(year, 1), _month_start(year + 1, 1))
    raise InvalidInput(
        f"{text!r} is not a period", hint="use a quarter (2026-Q4), a month (2026-11) or a year"
    )


def quarter_of(at: datetime) -> Period:
    """The quarter holding ``at`` (the default period of a use)."""
    at = at.astimezone(UTC)
    return parse_period(f"{at.year}-Q{(at.month - 1) // 3 + 1}")


def overlaps(a: Period, b: Period) -> bool:
    """True when the two periods share an instant (a closed year closes its quarters)."""
    return a.start < b.end and b.start < a.end
