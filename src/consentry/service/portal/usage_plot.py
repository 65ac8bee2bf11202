"""Usage over time on the dashboards: a creator's works' uses, a developer's recorded usage.

The figures are :func:`consentry.actions.ledger_monthly.usage_by_month`'s,
one chart per kind of use (items trained on; uses while answering), each a
stack of bars per month by model version, with a legend and the same numbers
in a table beside it (for screen readers, and for anyone who would rather
read).
"""

from __future__ import annotations

from typing import Any

from consentry.actions.accounts import Account
from consentry.actions.ledger_monthly import MonthlyUse, usage_by_month
from consentry.actions.workspace import Workspace
from consentry.service.portal.plots import month_chart, monthly_series, series_colour

KIND_WORDS = {
    "training": ("Items trained on, per month", "items trained on"),
    "inference": ("Uses while answering (inference), per month", "inference uses"),
}
"""Per kind of use: the chart's title and what its numbers count."""


def usage_charts(rows: list[MonthlyUse], whose: str) -> list[dict[str, Any]]:
    """One chart per kind of use with its months, series (with colours) and totals per month."""
    charts: list[dict[str, Any]] = []
    for kind, (title, unit) in KIND_WORDS.items():
        picked = [(r.month, r.model, r.amount) for r in rows if r.kind == kind]
        if not picked:
            continue
        months, series = monthly_series(picked)
        full = f"{title}: {whose}"
        charts.append(
            {
                "kind": kind,
                "title": full,
                "unit": unit,
                "svg": month_chart(f"usage-{kind}", full, months, series),
                "months": months,
                "series": [(s, series_colour(n)) for n, s in enumerate(series)],
                "totals": [sum(s.values[n] for s in series) for n in range(len(months))],
            }
        )
    return charts


def dashboard_usage(ws: Workspace, account: Account) -> list[dict[str, Any]]:
    """The usage charts for this account: its works' uses, or its models' (developers)."""
    if account.party_id is None:
        return []
    if account.kind == "developer":
        rows = usage_by_month(ws, developer_id=account.party_id)
        return usage_charts(rows, "your models")
    rows = usage_by_month(ws, party_ids=account.acts_for | {account.party_id})
    return usage_charts(rows, "your works")
