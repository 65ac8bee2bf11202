"""The service's settings: cookies, limits and the secret that signs CSRF tokens.

Read from the environment only at the edge (``ServiceSettings.from_env``);
tests build them directly.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

SECRET_ENV = "CONSENTRY_SECRET_KEY"  # noqa: S105 (the variable's name)
INSECURE_COOKIES_ENV = "CONSENTRY_INSECURE_COOKIES"
API_RATE_ENV = "CONSENTRY_API_RATE_LIMIT"
LOOKUP_RATE_ENV = "CONSENTRY_LOOKUP_RATE_LIMIT"
LOGIN_RATE_ENV = "CONSENTRY_LOGIN_RATE_LIMIT"
DATA_DIR_ENV = "CONSENTRY_SERVICE_DIR"


@dataclass(frozen=True)
class ServiceSettings:
    """How the service behaves. Rates are requests per minute per client; 0 turns a limit off.

    ``secure_cookies`` sets the ``Secure`` flag (turn it off only for plain-HTTP
    development on loopback). ``secret_key`` signs CSRF tokens: set it (via
    ``$CONSENTRY_SECRET_KEY``) when more than one process serves, or tokens
    issued by one are refused by another. ``data_dir`` holds uploads in flight
    and scan outputs (default: beside an SQLite registry, else
    ``./consentry-service``).
    """

    secure_cookies: bool = True
    session_ttl: timedelta = timedelta(hours=12)
    csrf_ttl: timedelta = timedelta(hours=12)
    secret_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    api_rate_per_minute: int = 600
    lookup_rate_per_minute: int = 30_000
    login_rate_per_minute: int = 10
    max_upload_bytes: int = 32 * 1024 * 1024
    max_json_bytes: int = 1024 * 1024
    data_dir: Path | None = None

    @classmethod
    def from_env(cls) -> ServiceSettings:
        """Settings from ``$CONSENTRY_*`` variables, defaults for the rest."""
        secret = os.environ.get(SECRET_ENV)
        base = cls()
        return cls(
            secure_cookies=os.environ.get(INSECURE_COOKIES_ENV, "") not in ("1", "true", "yes"),
            secret_key=secret.encode("utf-8") if secret else base.secret_key,
            api_rate_per_minute=_int(API_RATE_ENV, base.api_rate_per_minute),
            lookup_rate_per_minute=_int(LOOKUP_RATE_ENV, base.lookup_rate_per_minute),
            login_rate_per_minute=_int(LOGIN_RATE_ENV, base.login_rate_per_minute),
            data_dir=Path(os.environ[DATA_DIR_ENV]) if os.environ.get(DATA_DIR_ENV) else None,
        )


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"${name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"${name} must not be negative")
    return value
