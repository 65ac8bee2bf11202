"""The usage ledger as a user sees it: usage per work, inference uses, statements, credits.

One import for the CLI, the service and the reports; the use cases live in
the ``ledger_*`` modules beside this one.
"""

from __future__ import annotations

from consentry.actions.ledger_credits import model_credits, write_credits
from consentry.actions.ledger_inference import record_inference_use, record_inference_uses
from consentry.actions.ledger_money import Balance, balances, record_payment, report_revenue
from consentry.actions.ledger_statements import issue_statements, statement_bodies
from consentry.actions.ledger_training import TrainingSource, record_training_usage
from consentry.actions.workspace import Workspace
from consentry.ledger.records import UseKind
from consentry.ledger.usage import WorkUsage
from consentry.provenance import ModelVersion
from consentry.store.ledger import LedgerUseStore

__all__ = [
    "Balance",
    "TrainingSource",
    "WorkUsage",
    "balances",
    "find_model",
    "issue_statements",
    "model_credits",
    "record_inference_use",
    "record_inference_uses",
    "record_payment",
    "record_training_usage",
    "report_revenue",
    "statement_bodies",
    "work_usage",
    "write_credits",
]


def find_model(ws: Workspace, name: str, version: str) -> ModelVersion:
    """The model version named so, or NotFound."""
    with ws.transaction() as registry:
        return registry.find_model_version(name, version)


def work_usage(ws: Workspace, model_version_id: str) -> list[WorkUsage]:
    """Every work a model version's trainings used, one row per training and work.

    Rows come in recording order, then by work id; quantities are totals over
    the training's epochs. NotFound when the model version is unknown.
    """
    with ws.transaction() as registry:
        store = LedgerUseStore(registry.conn)
        store.get_model_version(model_version_id)
        records = store.uses(model_version_id=model_version_id, kind=UseKind.TRAINING)
    return [r.usage for r in records]
