"""Persistence (an adapter): SQLAlchemy 2 Core tables, repositories, Alembic migrations.

Only :mod:`consentry.actions` imports this package; the core never does.
"""

# Each feature's tables join the one metadata; import them so that it is whole.
from consentry.store import (  # noqa: F401
    tables_accounts,
    tables_complaints,
    tables_jobs,
    tables_ledger,
    tables_outputs,
    tables_removals,
    tables_requests,
)
from consentry.store.engine import ensure_ready, make_engine, upgrade
from consentry.store.registry import Registry, open_registry

__all__ = ["Registry", "ensure_ready", "make_engine", "open_registry", "upgrade"]
