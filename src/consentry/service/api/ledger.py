"""Usage and money: the fast inference-time endpoint, statements, and payments.

A model's serving stack calls it per answer, or buffers answers and calls it
once per batch: one transaction, one log entry, one multi-row insert.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from consentry.actions import ledger_inference as actions
from consentry.actions import ledger_money as money
from consentry.actions import ledger_statements as statements
from consentry.actions.authorise import require_admin
from consentry.actions.authorise_usage import (
    StatementView,
    may_pay,
    may_record_uses,
    visible_statements,
)
from consentry.errors import Forbidden
from consentry.ledger.money import format_amount
from consentry.service.api.bodies_more import (
    InferenceUsesIn,
    InferenceUsesOut,
    IssueIn,
    PaymentIn,
    PaymentOut,
    StatementOut,
    WorkCreditsOut,
)
from consentry.service.auth import Account, current_account, workspace

router = APIRouter(tags=["usage"])
Me = Annotated[Account, Depends(current_account)]


@router.post(
    "/models/{model_version}/inference-uses", status_code=201, response_model=InferenceUsesOut
)
def record_inference_uses(
    model_version: str, body: InferenceUsesIn, account: Me, request: Request
) -> InferenceUsesOut:
    """Record that each answer of your model version used its works; returns the credits."""
    ws = workspace(request)
    may_record_uses(ws, account, model_version)
    credits = actions.record_inference_uses(ws, model_version, body.answers)
    return InferenceUsesOut(
        model_version_id=model_version,
        answers=[[WorkCreditsOut.of(c) for c in answer] for answer in credits],
    )


def _statement(view: StatementView) -> StatementOut:
    s = view.statement
    return StatementOut(
        id=s.id,
        period=s.period,
        party_id=s.party_id,
        currency=s.currency,
        total=format_amount(s.total_minor, s.currency),
        paid=format_amount(view.paid_minor, s.currency),
        sha256=s.sha256,
        issued_at=s.issued_at,
        partial=view.partial,
        body=view.body,
    )


@router.get("/statements", response_model=list[StatementOut], tags=["statements"])
def list_statements(account: Me, request: Request) -> list[StatementOut]:
    """Your statements (a party), or the lines under your licences (a developer)."""
    return [_statement(v) for v in visible_statements(workspace(request), account)]


@router.post(
    "/statements/issue", status_code=201, response_model=list[StatementOut], tags=["statements"]
)
def issue_statements(body: IssueIn, account: Me, request: Request) -> list[StatementOut]:
    """Issue every party's statements for a period and close it (administrators only).

    Issuing again is safe: statements already issued are returned, not duplicated.
    """
    require_admin(account)
    ws = workspace(request)
    issued = {s.id for s in statements.issue_statements(ws, body.period)}
    return [_statement(v) for v in visible_statements(ws, account) if v.statement.id in issued]


@router.get("/statements/{statement_id}", response_model=StatementOut, tags=["statements"])
def show_statement(statement_id: str, account: Me, request: Request) -> StatementOut:
    """One statement, as you may see it."""
    views = visible_statements(workspace(request), account, statement_id)
    if not views:
        raise Forbidden(f"statement {statement_id} is neither yours nor under your licences")
    return _statement(views[0])


@router.post(
    "/statements/{statement_id}/payments",
    status_code=201,
    response_model=PaymentOut,
    tags=["statements"],
)
def record_payment(statement_id: str, body: PaymentIn, account: Me, request: Request) -> PaymentOut:
    """Record a payment against a statement holding lines under your licences."""
    ws = workspace(request)
    may_pay(ws, account, statement_id)
    p = money.record_payment(ws, statement_id, body.amount, body.paid_on, body.reference)
    return PaymentOut(
        id=p.id,
        statement_id=p.statement_id,
        amount=format_amount(p.amount_minor, p.currency),
        currency=p.currency,
        paid_on=p.paid_on,
        reference=p.reference,
        recorded_at=p.recorded_at,
    )
