"""Read an import file into raw rows: JSONL (one object a line) or CSV (one work a row).

Each row comes with the physical line it starts on (1-based; a CSV header is
line 1) or with what stopped it being read. Numbers are read as ``Decimal``
from their text, never through binary floating point; ``NaN``, ``Infinity``
and repeated keys are refused.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from consentry.errors import InvalidInput, RowError

SCALAR_COLUMNS = ("id", "title", "kind", "file")
JSON_COLUMNS = ("fingerprints", "identifiers", "creators", "rightsholders", "split", "consent")
COLUMNS = SCALAR_COLUMNS + JSON_COLUMNS
REQUIRED_COLUMNS = ("title", "kind")
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv"}


@dataclass(frozen=True, slots=True)
class RawRow:
    """One record as read: its line and its object, or why it could not be read."""

    line: int
    value: dict[str, Any] | None
    problems: tuple[str, ...] = ()

    def errors(self) -> list[RowError]:
        """The problems as :class:`RowError`s."""
        return [RowError(self.line, p) for p in self.problems]


class _BadJSON(ValueError):
    """A JSON text that parses but that the import refuses."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        keys = [k for k, _ in pairs]
        repeated = next(k for i, k in enumerate(keys) if k in keys[:i])
        raise _BadJSON(f"key {repeated!r} appears twice in one object")
    return obj


def _no_constants(name: str) -> Any:
    raise _BadJSON(f"{name} is not a number")


def loads(text: str) -> Any:
    """Parse JSON text the import's way (decimals exact); raise ValueError with a reason."""
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_no_constants,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise ValueError(f"{exc.msg} at character {exc.pos + 1}") from exc


def import_format(path: Path) -> str:
    """``jsonl`` or ``csv`` from the file's extension; anything else is refused."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InvalidInput(
            f"{path}: cannot tell the format from the extension {path.suffix or '(none)'!r}",
            hint="name the file .jsonl (one JSON object a line) or .csv",
        )
    return fmt


def read_rows(path: Path) -> Iterator[RawRow]:
    """Every record in ``path`` with its line, as JSONL or CSV by extension."""
    if import_format(path) == "jsonl":
        return _read_jsonl(path)
    return _read_csv(path)


def _read_jsonl(path: Path) -> Iterator[RawRow]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            yield _jsonl_row(number, raw)


def _jsonl_row(number: int, raw: bytes) -> RawRow:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return RawRow(number, None, (f"not UTF-8 (byte {exc.start + 1} of the line)",))
    try:
        value = loads(text)
    except ValueError as exc:
        return RawRow(number, None, (f"not valid JSON: {exc}",))
    if not isinstance(value, dict):
        return RawRow(number, None, (f"expected a JSON object, found {_kind_of(value)}",))
    return RawRow(number, value)


def _kind_of(value: object) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    return "a number"


def _read_csv(path: Path) -> Iterator[RawRow]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        yield RawRow(line, None, ("not UTF-8; save the CSV file as UTF-8",))
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        problems = header_problems(header)
        if problems:
            yield RawRow(1, None, tuple(problems))
            return
        start = reader.line_num + 1
        for cells in reader:
            if any(c.strip() for c in cells):
                yield _csv_row(start, header, cells)
            start = reader.line_num + 1
    except csv.Error as exc:
        yield RawRow(reader.line_num, None, (f"not valid CSV: {exc}; nothing after it was read",))


def header_problems(header: list[str]) -> list[str]:
    """What is wrong with a CSV header: unknown, repeated, unnamed or missing columns."""
    problems: list[str] = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if not name.strip():
            problems.append(f"column {position} has no name")
        elif name in seen:
            problems.append(f"column {name!r} appears twice")
        elif name not in COLUMNS:
            close = difflib.get_close_matches(name, COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown column {name!r}{hint}; columns are {', '.join(COLUMNS)}")
        seen.add(name)
    problems.extend(f"no {name!r} column" for name in REQUIRED_COLUMNS if name not in seen)
    return problems


def _csv_row(line: int, header: list[str], cells: list[str]) -> RawRow:
    if len(cells) != len(header):
        return RawRow(line, None, (f"has {len(cells)} cells, the header has {len(header)}",))
    value: dict[str, Any] = {}
    problems: list[str] = []
    for name, cell in zip(header, cells, strict=True):
        if not cell.strip():
            continue
        if name in SCALAR_COLUMNS:
            value[name] = cell
            continue
        try:
            value[name] = loads(cell)
        except ValueError as exc:
            problems.append(f"{name} is not valid JSON: {exc}")
    if problems:
        return RawRow(line, None, tuple(problems))
    return RawRow(line, value)
