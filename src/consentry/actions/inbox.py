"""What each party must see and answer: its requests, complaints, statements and removals.

The portal (and any other front end) lists these per party: a creator's or
rightsholder's requests and complaints about its works, a developer's own;
statements with what was paid against them; the removals of a work with their
certificates. Read-only views over the stores, each in one unit of work; the
changes themselves go through :mod:`~consentry.actions.answers`,
:mod:`~consentry.actions.complaints` and :mod:`~consentry.actions.ledger_money`.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from consentry.actions.request_state import terms_for
from consentry.actions.requests import RequestView, request_view
from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.evidence.removal import Removal
from consentry.ledger.records import IssuedStatement, Payment, UseKind, UseRecord
from consentry.licensing.types import Terms
from consentry.provenance import ModelVersion
from consentry.store.ledger import LedgerUseStore
from consentry.store.ledger_money import LedgerMoneyStore
from consentry.store.removals import RemovalStore
from consentry.store.requests import RequestStore


def requests_of(
    ws: Workspace, *, developer_id: str | None = None, party_ids: Collection[str] = ()
) -> list[RequestView]:
    """A developer's requests, or those naming a work of ``party_ids``; newest first."""
    at = ws.now()
    with ws.transaction() as registry:
        store = RequestStore(registry.conn)
        if developer_id is not None:
            found = store.list_requests(developer_id=developer_id)
        else:
            mine = {w.id for p in party_ids for w in registry.list_works(party_id=p)}
            found = [r for r in store.list_requests() if mine & set(r.work_ids)]
        views = [request_view(registry, store, r, at) for r in found]
    return views[::-1]


def work_terms(view: RequestView, work_id: str) -> Terms:
    """The terms on the table for one work of a request (the request's, or a counter's)."""
    status = next(s for s in view.works if s.work_id == work_id)
    return terms_for(view.request, {c.id: c for c in view.counters}, status.terms_id)


def work_removals(ws: Workspace, work_id: str) -> list[Removal]:
    """Every removal of a work from a dataset version, oldest first, with its certificate."""
    with ws.transaction() as registry:
        registry.get_work(work_id)
        return RemovalStore(registry.conn).removals_of_work(work_id)


@dataclass(frozen=True)
class StatementView:
    """An issued statement, its body, the payments against it and what is still owed."""

    statement: IssuedStatement
    body: dict[str, Any]
    payments: list[Payment]

    @property
    def paid_minor(self) -> int:
        """The sum of the payments, in minor units."""
        return sum(p.amount_minor for p in self.payments)

    @property
    def owed_minor(self) -> int:
        """The statement's total less what was paid."""
        return self.statement.total_minor - self.paid_minor


def statements_of(
    ws: Workspace, *, party_ids: Collection[str] = (), developer_id: str | None = None
) -> list[StatementView]:
    """Statements to ``party_ids``, or those charging a licence granted to ``developer_id``.

    Oldest period first. A developer's statements keep only the lines and
    liabilities under its own licences (a creator's statement for a period
    covers every developer that used its works).
    """
    licences: set[str] = set()
    with ws.transaction() as registry:
        money = LedgerMoneyStore(registry.conn)
        issued = [s for p in sorted(party_ids) for s in money.statements(party_id=p)]
        if developer_id is not None:
            issued = money.statements()
            licences = {lic.id for lic in registry.list_licences(licensee_id=developer_id)}
        payments = money.payments([s.id for s in issued])
    views: list[StatementView] = []
    for statement in issued:
        body: dict[str, Any] = json.loads(statement.body)
        if developer_id is not None:
            body["lines"] = [x for x in body["lines"] if x["licence_id"] in licences]
            body["liabilities"] = []
            if not body["lines"]:
                continue
        paid = [p for p in payments if p.statement_id == statement.id]
        views.append(StatementView(statement, body, paid))
    views.sort(key=lambda v: (v.statement.period, v.statement.issued_at, v.statement.id))
    return views


def names(
    ws: Workspace, work_ids: Collection[str], party_ids: Collection[str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Works' titles and parties' names by id, for pages that show ids in words."""
    with ws.transaction() as registry:
        titles = {w.id: w.title for w in registry.get_works(sorted(set(work_ids)))}
        wanted = set(party_ids)
        parties = {p.id: p.name for p in registry.list_parties() if p.id in wanted}
    return titles, parties


def complaint_subject(
    ws: Workspace, dataset_version_id: str | None, model: tuple[str, str] | None
) -> tuple[str, list[str]]:
    """The developer a complaint about this dataset or model version is against, and the
    dataset versions whose manifests it is checked on (the dataset, and the model's).

    InvalidInput when neither is named or no developer is recorded for them.
    """
    if dataset_version_id is None and model is None:
        raise InvalidInput("name the dataset version or the model the work was used in")
    owners: set[str | None] = set()
    datasets: list[str] = []
    with ws.transaction() as registry:
        if dataset_version_id is not None:
            dataset = registry.get_dataset_version(dataset_version_id)
            owners.add(dataset.developer_id)
            datasets.append(dataset.id)
        if model is not None:
            found = registry.find_model_version(*model)
            owners.add(found.developer_id)
            datasets += [t.dataset_version_id for t in registry.trainings_of(found.id)]
    if None in owners or len(owners) != 1:
        raise InvalidInput(
            "no single developer is recorded for that dataset or model version",
            hint="a complaint is filed against the developer that scanned or trained",
        )
    developer = owners.pop()
    assert developer is not None
    return developer, sorted(set(datasets))


@dataclass(frozen=True)
class LedgerUse:
    """A model version's recorded uses of one work: trainings and inference, licensed or not."""

    model: ModelVersion
    training_items: int
    inference_uses: int
    licences: tuple[str, ...]
    past_use: bool


def work_ledger_uses(ws: Workspace, work_id: str) -> list[LedgerUse]:
    """Every model version the usage ledger records as using the work, by model name."""
    with ws.transaction() as registry:
        registry.get_work(work_id)
        models = {m.id: m for m in registry.list_model_versions()}
        records = [r for r in LedgerUseStore(registry.conn).uses() if r.work_id == work_id]
    by_model: dict[str, list[UseRecord]] = {}
    for r in records:
        by_model.setdefault(r.batch.model_version_id, []).append(r)
    found = [
        LedgerUse(
            models[mid],
            sum(r.usage.items for r in held if r.batch.kind is UseKind.TRAINING),
            sum(r.uses for r in held if r.batch.kind is UseKind.INFERENCE),
            tuple(sorted({r.usage.licence_id for r in held if r.usage.licence_id})),
            any(r.usage.past_use for r in held),
        )
        for mid, held in by_model.items()
    ]
    return sorted(found, key=lambda u: (u.model.name, u.model.version))
