"""Every error as JSON with a status, a message and a hint: never a traceback, never a page.

``ConsentryError`` subclasses map to statuses by what they mean (bad input
400, not signed in 401, not allowed 403, missing 404, conflict 409, too many
requests 429, database not ready 503); request validation is 422 with each
problem's location. ``ERROR_RESPONSES`` documents them in the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException

from consentry.errors import (
    ConflictError,
    ConsentryError,
    DatabaseNotReady,
    Forbidden,
    ImportRejected,
    NotFound,
    RateLimited,
    Unauthenticated,
)

_STATUS: tuple[tuple[type[ConsentryError], int], ...] = (
    (Unauthenticated, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (ConflictError, 409),
    (RateLimited, 429),
    (DatabaseNotReady, 503),
)


class ErrorBody(BaseModel):
    """What every error response holds."""

    model_config = ConfigDict(extra="forbid")

    error: str
    status: int
    hint: str | None = None
    details: list[Any] | None = None


def _doc(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _doc("Bad input: the message says what and the hint what to do"),
    401: _doc("Not signed in, or the API token is unknown, expired or revoked"),
    403: _doc("Signed in, but not allowed to do this (or a bad CSRF token)"),
    404: _doc("No such record"),
    409: _doc("Another writer got there first; nothing was written"),
    413: _doc("The request body is too large"),
    415: _doc("The content type is not one this operation takes"),
    422: _doc("The request does not fit the schema"),
    429: _doc("Too many requests; see Retry-After"),
}


def status_of(exc: ConsentryError) -> int:
    """The HTTP status for a consentry error (400 unless a more specific one applies)."""
    for kind, status in _STATUS:
        if isinstance(exc, kind):
            return status
    return 400


def error_response(
    status: int, message: str, hint: str | None = None, details: list[Any] | None = None
) -> JSONResponse:
    """A JSON error response."""
    body = ErrorBody(error=message, status=status, hint=hint, details=details)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 429:
        headers = {"Retry-After": "60"}
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


async def _consentry(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ConsentryError)
    details = [str(e) for e in exc.errors] if isinstance(exc, ImportRejected) else None
    return error_response(status_of(exc), exc.message, exc.hint, details)


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", ""))}
        for e in exc.errors()
    ]
    return error_response(422, "the request does not fit the schema", details=details)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, str(exc.detail))


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(ConsentryError, _consentry)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
