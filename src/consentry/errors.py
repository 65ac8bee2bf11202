"""Errors named for the condition, each saying what to do next.

Every error a user can cause derives from :class:`ConsentryError`; the CLI
prints its message (no traceback) and exits with its ``exit_code``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ConsentryError(Exception):
    """A failure the user can act on. ``hint`` says what to do next."""

    exit_code = 1

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  hint: {self.hint}"


class InvalidInput(ConsentryError):
    """A value given by the user is malformed (an identifier, a share, a date)."""

    exit_code = 2


class NotFound(ConsentryError):
    """A named party, work, licence or file does not exist."""

    exit_code = 3


class AmbiguousParty(ConsentryError):
    """A name matches more than one party; an id, ISNI or IPI must be given."""

    exit_code = 2


class ConflictError(ConsentryError):
    """Another writer changed the same record first; nothing of ours was written."""

    exit_code = 4


class DatabaseNotReady(ConsentryError):
    """The registry database is missing or on an older schema."""

    exit_code = 5


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one line of an import file (1-based line numbers)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ImportRejected(ConsentryError):
    """An import file had bad rows; nothing was imported."""

    exit_code = 2

    def __init__(self, path: str, errors: Sequence[RowError]) -> None:
        self.path = path
        self.errors = tuple(errors)
        count = len({e.line for e in self.errors})  # rows, not problems: a row may have several
        plural = "s" if count != 1 else ""
        super().__init__(
            f"{path}: {count} bad row{plural}; nothing was imported",
            hint="fix every line listed and run the import again",
        )


class UnreadableContent(ConsentryError):
    """Bytes that cannot be decoded as the kind they claim to be."""

    exit_code = 2


class Unauthenticated(ConsentryError):
    """No valid session or API token: the caller must sign in (HTTP 401)."""

    exit_code = 6


class Forbidden(ConsentryError):
    """The signed-in account may not do this (HTTP 403); nothing was changed."""

    exit_code = 6


class RateLimited(ConsentryError):
    """Too many attempts in too short a time (HTTP 429); try again later."""

    exit_code = 7
