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


LOG_KEY_ENV = "CONSENTRY_LOG_KEY"
LOG_KEY_FILE_ENV = "CONSENTRY_LOG_KEY_FILE"
LOG_ORIGIN_ENV = "CONSENTRY_LOG_ORIGIN"
DEFAULT_LOG_ORIGIN = "consentry.local/log"


def log_key_text() -> str | None:
    """The log's signer key itself, when ``$CONSENTRY_LOG_KEY`` holds it (never logged)."""
    return os.environ.get(LOG_KEY_ENV) or None


def log_key_file_override() -> str | None:
    """Where the log's signer key file is, when ``$CONSENTRY_LOG_KEY_FILE`` says."""
    return os.environ.get(LOG_KEY_FILE_ENV) or None


def log_origin() -> str:
    """The origin (and key name) a new log key is made for."""
    return os.environ.get(LOG_ORIGIN_ENV) or DEFAULT_LOG_ORIGIN
