"""Alembic environment: runs on the engine consentry hands it (no alembic.ini)."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Engine

from consentry.store.tables import metadata

engine: Engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    context.run_migrations()
