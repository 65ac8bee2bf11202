"""Parse and validate a whole import file: every row, every problem, or nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from consentry.errors import ImportRejected, NotFound, RowError
from consentry.work_import.model import ImportPlan, WorkRow
from consentry.work_import.read import RawRow, import_format, read_rows
from consentry.work_import.rows import RowBuilder
from consentry.work_import.schema import Refused


class _Collector:
    """Errors and warnings in line order, and the first line that used each key."""

    def __init__(self, max_errors: int | None) -> None:
        self.max_errors = max_errors
        self.errors: list[RowError] = []
        self.warnings: list[RowError] = []
        self.ids: dict[str, int] = {}
        self.hashes: dict[tuple[str, str], int] = {}

    @property
    def full(self) -> bool:
        return self.max_errors is not None and len(self.errors) >= self.max_errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(RowError(line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(RowError(line, message))

    def check_id(self, line: int, raw: Mapping[str, Any], refused: Refused) -> None:
        """A given work id may appear on one line only."""
        work_id = raw.get("id")
        if not isinstance(work_id, str) or ("id",) in refused:
            return
        first = self.ids.setdefault(work_id, line)
        if first != line:
            self.error(line, f"id {work_id!r} repeats line {first}")

    def check_copies(self, row: WorkRow) -> None:
        """Warn when a row's bytes, content or identifiers already came on another line."""
        keys: list[tuple[str, str]] = [
            (scheme, value) for scheme, values in row.identifiers.items() for value in values
        ]
        if row.fingerprints.sha256:
            keys.append(("sha256", row.fingerprints.sha256))
        if row.fingerprints.content_sha256:
            keys.append(("content_sha256", row.fingerprints.content_sha256))
        for key in keys:
            first = self.hashes.setdefault(key, row.line)
            if first != row.line:
                what = (
                    "the same bytes"
                    if key[0] == "sha256"
                    else (
                        "the same content" if key[0] == "content_sha256" else f"{key[0]} {key[1]}"
                    )
                )
                self.warn(row.line, f"{what} as line {first}: is this work listed twice?")


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    A 100,000-row import allocates millions of objects and no cycles; the
    collector's repeated passes over them cost a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_import(path: Path, *, max_errors: int | None = None) -> ImportPlan:
    """Read and check every row of a works-import file (``.jsonl`` or ``.csv``).

    Returns every row when all are valid. Otherwise raises
    :class:`~consentry.errors.ImportRejected` naming every problem with its
    line (after ``max_errors`` problems, if given, the rest of the file is not
    checked). A missing import file raises :class:`~consentry.errors.NotFound`;
    an extension other than ``.jsonl``/``.ndjson``/``.csv``
    :class:`~consentry.errors.InvalidInput`.
    """
    path = Path(path)
    if not path.is_file():
        raise NotFound(f"{path}: no such import file", hint="check the path and try again")
    import_format(path)
    with collection_paused():
        return _parse(read_rows(path), path.parent.resolve(), str(path), max_errors)


def parse_rows(rows: Iterable[Mapping[str, Any]], *, base: Path, source: str) -> ImportPlan:
    """Check rows given as objects (``consentry works add``), numbered from line 1.

    ``base`` is the folder ``file`` paths are relative to; ``source`` names the
    rows in errors. Same checks, same all-or-nothing result as a file.
    """
    raw_rows = (RawRow(n, dict(row)) for n, row in enumerate(rows, start=1))
    with collection_paused():
        return _parse(raw_rows, base.resolve(), source, None)


def _parse(
    raw_rows: Iterable[RawRow], base: Path, source: str, max_errors: int | None
) -> ImportPlan:
    found = _Collector(max_errors)
    rows: list[WorkRow] = []
    last_line = 0
    for raw in raw_rows:
        last_line = raw.line
        if found.full:
            found.error(
                raw.line,
                f"stopped after {max_errors} errors; this line and the "
                "rest of the file were not checked",
            )
            break
        if raw.value is None:
            found.errors.extend(raw.errors())
            continue
        row = _check_row(raw.line, raw.value, base, found)
        if row is not None:
            rows.append(row)
    if not rows and not found.errors:
        found.error(max(last_line, 1), "the file holds no works")
    if found.errors:
        raise ImportRejected(source, sorted(found.errors, key=lambda e: e.line))
    return ImportPlan(tuple(rows), tuple(found.warnings), Path(source))


def _check_row(line: int, raw: Mapping[str, Any], base: Path, found: _Collector) -> WorkRow | None:
    builder = RowBuilder(line, raw, base)
    row = builder.build()
    for message in builder.problems:
        found.error(line, message)
    found.check_id(line, raw, builder.refused)
    for message in dict.fromkeys(builder.warnings):
        found.warn(line, message)
    if row is not None:
        found.check_copies(row)
    return row if not found.errors else None
