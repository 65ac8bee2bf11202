"""Settings, read only at the edges (the CLI, the service, the public API).

The core never reads the environment: it is handed what it needs.
"""

from __future__ import annotations

import os

DATABASE_URL_ENV = "CONSENTRY_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///consentry.db"


def database_url(explicit: str | None = None) -> str:
    """The registry database: ``explicit`` (``--db``), else the env var, else ./consentry.db."""
    if explicit:
        return explicit
    return os.environ.get(DATABASE_URL_ENV) or DEFAULT_DATABASE_URL


INDEX_DIR_ENV = "CONSENTRY_INDEX_DIR"


def index_dir_override() -> str | None:
    """Where the match index lives when ``$CONSENTRY_INDEX_DIR`` says; None otherwise."""
    return os.environ.get(INDEX_DIR_ENV) or None
