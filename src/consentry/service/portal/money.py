"""Statements and money: what a creator is owed and paid, and what a developer has to pay.

A creator or rightsholder sees its statements per period (issued by
``consentry statements``), what was paid against each and what is still
owed, with a plot over time per currency. A developer sees the statements
that charge its licences (only its own lines) and records the payments it
made. Every figure comes from :mod:`consentry.actions.inbox` and
:mod:`consentry.actions.ledger_money`; nothing is computed here but sums for
the plot.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response

from consentry.actions.accounts import Account
from consentry.actions.inbox import StatementView, statements_of
from consentry.actions.ledger_money import record_payment
from consentry.errors import Forbidden, InvalidInput, NotFound
from consentry.ledger.money import format_amount, from_minor
from consentry.service.auth import require_csrf, workspace
from consentry.service.portal.guard import PortalRoute, signed_in
from consentry.service.portal.plots import Point, time_chart
from consentry.service.portal.render import page, see_other

router = APIRouter(route_class=PortalRoute)
SignedIn = Annotated[Account, Depends(signed_in)]


def _views(request: Request, account: Account) -> list[StatementView]:
    """The statements this account may see: its parties', or those charging its licences."""
    ws = workspace(request)
    if account.party_id is None:
        raise Forbidden("statements are for creators, rightsholders and developers")
    if account.kind == "developer":
        return statements_of(ws, developer_id=account.party_id)
    if account.kind in {"creator", "rightsholder"}:
        return statements_of(ws, party_ids=account.acts_for | {account.party_id})
    raise Forbidden("statements are for creators, rightsholders and developers")


def _charts(views: list[StatementView]) -> list[dict[str, object]]:
    """One time chart per currency: each period's total stated and paid."""
    by_currency: dict[str, dict[str, list[int]]] = {}
    for v in views:
        cur = v.statement.currency
        stated, paid = by_currency.setdefault(cur, {}).setdefault(v.statement.period, [0, 0])
        by_currency[cur][v.statement.period] = [
            stated + v.statement.total_minor,
            paid + v.paid_minor,
        ]
    charts: list[dict[str, object]] = []
    for cur, periods in sorted(by_currency.items()):
        points = [
            Point(p, float(from_minor(s, cur)), float(from_minor(d, cur)))
            for p, (s, d) in sorted(periods.items())
        ]
        charts.append(
            {
                "currency": cur,
                "svg": time_chart(f"Owed and paid per period, in {cur}", cur, points),
                "points": points,
            }
        )
    return charts


@router.get("/statements", name="portal_statements")
def statements(request: Request, account: SignedIn) -> Response:
    """Statements per period: stated, paid and still owed, with a plot over time."""
    views = _views(request, account)
    title = "Statements to pay" if account.kind == "developer" else "What you are owed and paid"
    return page(
        request,
        "statements.html",
        account,
        title=title,
        views=views,
        charts=[] if account.kind == "developer" else _charts(views),
        money=format_amount,
    )


def _one(request: Request, account: Account, statement_id: str) -> StatementView:
    found = next((v for v in _views(request, account) if v.statement.id == statement_id), None)
    if found is None:
        raise NotFound(f"no statement {statement_id!r} for you")
    return found


@router.get("/statements/{statement_id}", name="portal_statement")
def statement_page(request: Request, statement_id: str, account: SignedIn) -> Response:
    """One statement, line by line: work, licence, basis, quantity, rate, share and amount."""
    view = _one(request, account, statement_id)
    return page(
        request,
        "statement.html",
        account,
        title=f"Statement {view.statement.id} for {view.statement.period}",
        v=view,
        money=format_amount,
        today=date.today().isoformat(),
    )


@router.post(
    "/statements/{statement_id}/payment",
    name="portal_statement_payment",
    dependencies=[Depends(require_csrf)],
)
def payment_submit(
    request: Request,
    statement_id: str,
    account: SignedIn,
    amount: Annotated[str, Form(max_length=30)] = "",
    paid_on: Annotated[str, Form(max_length=10)] = "",
    reference: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The developer records a payment it made against a statement charging its licences."""
    if account.kind != "developer":
        raise Forbidden("payments are recorded by the developer that pays")
    view = _one(request, account, statement_id)
    try:
        day = date.fromisoformat(paid_on)
    except ValueError:
        raise InvalidInput("give the date it was paid (YYYY-MM-DD)") from None
    record_payment(workspace(request), view.statement.id, amount.strip(), day, reference)
    return see_other(request, "portal_statement", "payment-recorded", statement_id=statement_id)
