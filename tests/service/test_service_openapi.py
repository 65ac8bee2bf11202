"""The OpenAPI schema is complete and accurate: schemathesis finds no server error.

Bounded: a few generated requests per operation, as an administrator's and a
developer's API tokens and anonymously, against one live server on loopback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from argon2 import PasswordHasher
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from service_live import PASSWORD, serve, settings

from consentry.actions import accounts
from consentry.actions.tokens import issue_token
from consentry.actions.workspace import init
from consentry.service.app import create_app


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A live server (SQLite) and a bearer header per role."""
    tmp: Path = tmp_path_factory.mktemp("openapi")
    patch = pytest.MonkeyPatch()
    patch.setenv("CONSENTRY_INDEX_DIR", str(tmp / "index"))
    patch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp / "log.key"))
    patch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    url = f"sqlite:///{tmp / 'registry.db'}"
    init(url).close()
    app = create_app(url, settings=settings(tmp, lookup_rate_per_minute=0))
    ws = app.state.ws
    headers = {}
    for kind, name in (("developer", "Dev"), ("creator", "Cre")):
        account = accounts.signup(ws, f"{kind}@example.org", PASSWORD, kind, name)
        secret = issue_token(ws, account, "fuzz", ["read", "write"]).secret
        headers[kind] = f"Bearer {secret}"
    try:
        for base in serve(app):
            yield base, headers
    finally:
        patch.undo()


CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
    content_type_conformance,
]
EXAMPLES = 4


def test_no_server_errors_and_responses_match_the_schema(
    api: tuple[str, dict[str, str]],
) -> None:
    base, headers = api
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def check(case: schemathesis.Case) -> None:
            for who in ("developer", "creator", None):
                extra = {"Authorization": headers[who]} if who else {}
                response = case.call(base_url=base, headers=extra)
                case.validate_response(response, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them all
            failures.append(f"{operation.label}: {str(exc)[:600]}")
    assert operations >= 40
    assert not failures, "\n\n".join(failures)
