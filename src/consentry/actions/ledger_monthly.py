"""Usage over time: the usage ledger's records per month, model and kind of use, for a plot.

A creator (or rightsholder) sees the uses of its works; a developer, the uses
its model versions recorded. Every figure is a sum of ledger records
(``ledger_uses`` by ``ledger_batches.used_at``), never estimated: for a
training, the items trained on (over all epochs); for inference, the uses
while answering. Months are calendar months in UTC, ``YYYY-MM``. The database
sums them (:mod:`consentry.store.ledger_monthly`, one ``GROUP BY``), so a
dashboard reads a row per month and model, not every ledger record.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.store.ledger_monthly import monthly_totals


@dataclass(frozen=True, slots=True, order=True)
class MonthlyUse:
    """One month's recorded uses by one model version, of one kind (training or inference)."""

    month: str
    kind: str
    model: str
    model_version_id: str
    amount: int


def usage_by_month(
    ws: Workspace,
    *,
    party_ids: Collection[str] | None = None,
    developer_id: str | None = None,
) -> list[MonthlyUse]:
    """The ledger's uses per month, of the works of ``party_ids`` or by ``developer_id``'s models.

    Exactly one of the two must be given. Sorted by month, kind, then model.
    """
    if (party_ids is None) == (developer_id is None):
        raise InvalidInput("ask for the uses of a party's works or of a developer's models")
    with ws.transaction() as registry:
        totals = monthly_totals(registry.conn, party_ids=party_ids, developer_id=developer_id)
    return sorted(
        MonthlyUse(t.month, t.kind, f"{t.name} {t.version}", t.model_version_id, t.amount)
        for t in totals
    )
