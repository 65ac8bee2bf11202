"""Who may record usage, read statements and pay them (the service's rules for the ledger).

- Only the developer that owns a model version records uses of it.
- A creator or rightsholder reads its own statements in full; a developer
  reads only the lines under its own licences, and records payments against
  statements holding such lines; administrators read all.

Each check raises :class:`~consentry.errors.Forbidden` and changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from consentry.actions.accounts import Account, AccountKind
from consentry.actions.authorise import developer_party
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden
from consentry.ledger.records import IssuedStatement
from consentry.provenance import ModelVersion
from consentry.store.ledger import LedgerUseStore
from consentry.store.ledger_money import LedgerMoneyStore


def may_record_uses(ws: Workspace, account: Account, model_version_id: str) -> ModelVersion:
    """The model version, when the account is the developer that owns it."""
    developer = developer_party(account)
    with ws.transaction() as registry:
        model = LedgerUseStore(registry.conn).get_model_version(model_version_id)
    if model.developer_id != developer:
        raise Forbidden(f"model version {model_version_id} is not one of your models")
    return model


@dataclass(frozen=True, slots=True)
class StatementView:
    """An issued statement and its body as the caller may see it, with the payments against it.

    ``partial`` is true when the caller is a developer and the body holds only
    the lines under its own licences (the statement's totals are the party's).
    """

    statement: IssuedStatement
    body: dict[str, Any]
    paid_minor: int
    partial: bool


def _view(
    statement: IssuedStatement, account: Account, mine: set[str], paid: int
) -> StatementView | None:
    body: dict[str, Any] = json.loads(statement.body)
    if account.is_admin or statement.party_id in account.acts_for:
        return StatementView(statement, body, paid, partial=False)
    if account.kind != AccountKind.DEVELOPER:
        return None
    lines = [x for x in body.get("lines", []) if x.get("licence_id") in mine]
    if not lines:
        return None
    kept = {**body, "lines": lines, "liabilities": []}
    return StatementView(statement, kept, paid, partial=True)


def visible_statements(
    ws: Workspace, account: Account, statement_id: str | None = None
) -> list[StatementView]:
    """Statements the caller may see: a party its own; a developer lines under its licences."""
    with ws.transaction() as registry:
        money = LedgerMoneyStore(registry.conn)
        found = [money.get_statement(statement_id)] if statement_id else money.statements()
        mine: set[str] = set()
        if account.kind == AccountKind.DEVELOPER and account.party_id is not None:
            mine = {lic.id for lic in registry.list_licences(licensee_id=account.party_id)}
        paid: dict[str, int] = {}
        for p in money.payments([s.id for s in found]):
            paid[p.statement_id] = paid.get(p.statement_id, 0) + p.amount_minor
    views = [_view(s, account, mine, paid.get(s.id, 0)) for s in found]
    return [v for v in views if v is not None]


def may_pay(ws: Workspace, account: Account, statement_id: str) -> None:
    """A developer records a payment against a statement holding lines under its licences."""
    developer_party(account)
    views = visible_statements(ws, account, statement_id)
    if not views or not views[0].partial:
        raise Forbidden(f"statement {statement_id} holds no lines under your licences")
