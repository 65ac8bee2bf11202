"""Usage over time: the usage ledger's records per month, model and kind of use, for a plot.

A creator (or rightsholder) sees the uses of its works; a developer, the uses
its model versions recorded. Every figure is a sum of ledger records
(``ledger_uses`` by ``ledger_batches.used_at``), never estimated: for a
training, the items trained on (over all epochs); for inference, the uses
while answering. Months are calendar months in UTC, ``YYYY-MM``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.ledger.records import UseKind, UseRecord
from consentry.store.ledger import LedgerUseStore


@dataclass(frozen=True, slots=True, order=True)
class MonthlyUse:
    """One month's recorded uses by one model version, of one kind (training or inference)."""

    month: str
    kind: str
    model: str
    model_version_id: str
    amount: int


def amount_of(record: UseRecord) -> int:
    """What a record counts: items trained on (training), or uses while answering (inference)."""
    return record.usage.items if record.batch.kind is UseKind.TRAINING else record.uses


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
        models = {m.id: m for m in registry.list_model_versions()}
        records = LedgerUseStore(registry.conn).uses()
        if party_ids is not None:
            works = {w.id for p in party_ids for w in registry.list_works(party_id=p)}
            chosen = [r for r in records if r.work_id in works]
        else:
            mine = {m for m, v in models.items() if v.developer_id == developer_id}
            chosen = [r for r in records if r.batch.model_version_id in mine]
    labels = {m.id: f"{m.name} {m.version}" for m in models.values()}
    return _monthly(chosen, labels)


def _monthly(records: Iterable[UseRecord], labels: dict[str, str]) -> list[MonthlyUse]:
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in records:
        month = r.batch.used_at.strftime("%Y-%m")
        totals[(month, r.batch.kind.value, r.batch.model_version_id)] += amount_of(r)
    return sorted(
        MonthlyUse(month, kind, labels.get(mid, mid), mid, amount)
        for (month, kind, mid), amount in totals.items()
        if amount
    )
