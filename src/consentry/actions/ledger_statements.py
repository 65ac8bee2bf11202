"""Statements per party per period: compute from the ledger, issue (closing the period), read.

Uses in the period are grouped by the licence that covers them. A past use
whose work a licence now covers for the date it was used (a licence may cover
a past period) is settled under that licence; the rest stay liabilities,
valued at the tariff recorded with them. Issuing writes each party's
statement once with its log entry and closes the period: issuing again
returns the same statements, and later corrections are adjusting entries
dated in an open period.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from consentry.actions.ids import new_id
from consentry.actions.ledger_money import body_digest
from consentry.actions.ledger_rules import licence_for
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import FeeTerms, Use
from consentry.errors import InvalidInput
from consentry.evidence import events_ledger
from consentry.fees import fee_terms_to_dict
from consentry.ledger.charges import Charge, licence_charges, past_use_charges, totals_by_work
from consentry.ledger.money import minor_units
from consentry.ledger.periods import Period, parse_period
from consentry.ledger.records import IssuedStatement, UseKind, UseRecord
from consentry.ledger.splits import party_fractions
from consentry.ledger.statements import Statement, build_statements, statement_json
from consentry.provenance import ModelVersion
from consentry.store import Registry
from consentry.store.ledger import LedgerUseStore
from consentry.store.ledger_money import LedgerMoneyStore


def _use_of(registry: Registry, record_: UseRecord) -> Use:
    if record_.batch.kind is UseKind.INFERENCE or record_.batch.dataset_version_id is None:
        return Use.AI_INFERENCE
    return Use(registry.get_dataset_version(record_.batch.dataset_version_id).use)


def _settle(
    registry: Registry, records: Sequence[UseRecord], models: dict[str, ModelVersion]
) -> list[UseRecord]:
    """Past uses that a licence now covers (for the date of use) move under that licence."""
    settled = []
    for r in records:
        if r.usage.past_use:
            model = models[r.batch.model_version_id]
            found = licence_for(
                registry,
                [r.work_id],
                developer_id=model.developer_id,
                use=_use_of(registry, r),
                at=r.batch.used_at,
                model=model.name,
                territory=None,
            )
            if r.work_id in found:
                r = replace(r, usage=replace(r.usage, licence_id=found[r.work_id], past_use=False))
        settled.append(r)
    return settled


def _revenue(
    registry: Registry,
    period: Period,
    records: Sequence[UseRecord],
    models: dict[str, ModelVersion],
    terms: FeeTerms,
) -> Decimal:
    names = {models[r.batch.model_version_id].name for r in records}
    total = Decimal(0)
    for revenue in LedgerMoneyStore(registry.conn).revenue_for(period.name):
        if revenue.model not in names:
            continue
        if revenue.currency != terms.currency:
            raise InvalidInput(
                f"revenue for {revenue.model} in {period.name} is in {revenue.currency}, "
                f"but its licence's fee terms are in {terms.currency}",
                hint="report revenue in the licence's currency",
            )
        total += revenue.amount
    return total


def compute_charges(registry: Registry, period: Period) -> list[Charge]:
    """Every charge and liability of ``period``, from the uses recorded in it."""
    store = LedgerUseStore(registry.conn)
    models = {m.id: m for m in registry.list_model_versions()}
    records = _settle(registry, store.uses(start=period.start, end=period.end), models)
    earlier = {r.usage.licence_id for r in store.uses(end=period.start)}
    by_licence: dict[str, list[UseRecord]] = defaultdict(list)
    past: dict[str, list[UseRecord]] = defaultdict(list)
    tariffs: dict[str, FeeTerms | None] = {}
    for r in records:
        if r.usage.licence_id is not None:
            by_licence[r.usage.licence_id].append(r)
        else:
            key = json.dumps(None if r.batch.tariff is None else fee_terms_to_dict(r.batch.tariff))
            past[key].append(r)
            tariffs[key] = r.batch.tariff
    charges: list[Charge] = []
    for licence_id, held in sorted(by_licence.items()):
        licence = registry.get_licence(licence_id)
        if licence.fee_terms is None:
            raise InvalidInput(
                f"licence {licence_id} has no fee terms, so its uses cannot be valued",
                hint="grant a licence with fee terms for these works",
            )
        minor_units(licence.fee_terms.currency)
        revenue = (
            _revenue(registry, period, held, models, licence.fee_terms)
            if licence.fee_terms.revenue_share is not None
            else Decimal(0)
        )
        charges += licence_charges(
            licence_id,
            licence.fee_terms,
            totals_by_work(held),
            revenue=revenue,
            flat_due=licence_id not in earlier,
        )
    for key, held in sorted(past.items()):
        charges += past_use_charges(totals_by_work(held), tariffs[key])
    return charges


def _bodies(
    registry: Registry, statements: Sequence[Statement], ids: dict[tuple[str, str], str]
) -> list[dict[str, Any]]:
    work_ids = sorted({x.work_id for s in statements for x in (*s.lines, *s.liabilities)})
    titles = {w.id: w.title for w in registry.get_works(work_ids)}
    return [
        statement_json(
            s,
            statement_id=ids[(s.party_id, s.currency)],
            party_name=registry.get_party(s.party_id).name,
            titles=titles,
        )
        for s in statements
    ]


def issue_statements(
    ws: Workspace, period: str, party_ref: str | None = None
) -> list[IssuedStatement]:
    """Issue every party's statements for ``period`` (or one party's) and close the period."""
    named = parse_period(period)
    with ws.transaction() as registry:
        party_id = find_party(registry, party_ref).id if party_ref else None
        money = LedgerMoneyStore(registry.conn)
        issued = {(s.party_id, s.currency): s for s in money.statements(period=named.name)}
        charges = compute_charges(registry, named)
        works = registry.get_works(sorted({c.work_id for c in charges}))
        fractions = {w.id: party_fractions(w) for w in works}
        fresh = [
            s
            for s in build_statements(named.name, charges, fractions, party_id)
            if (s.party_id, s.currency) not in issued
        ]
        ids = {(s.party_id, s.currency): new_id("st") for s in fresh}
        for statement, body in zip(fresh, _bodies(registry, fresh, ids), strict=True):
            text = json.dumps(body, sort_keys=True, ensure_ascii=False)
            done = IssuedStatement(
                ids[(statement.party_id, statement.currency)],
                named.name,
                statement.party_id,
                statement.currency,
                statement.total_minor,
                text,
                body_digest(text),
                ws.now(),
            )
            money.add_statement(done)
            entry = events_ledger.statement_issued(
                done.id, done.period, done.party_id, done.currency, done.total_minor, done.sha256
            )
            record(ws, registry, entry)
        money.close_period(named.name, ws.now())
        return money.statements(period=named.name, party_id=party_id)


def statement_bodies(statements: Sequence[IssuedStatement]) -> list[dict[str, Any]]:
    """The issued statements' JSON bodies, as stored."""
    bodies: list[dict[str, Any]] = [json.loads(s.body) for s in statements]
    return bodies
