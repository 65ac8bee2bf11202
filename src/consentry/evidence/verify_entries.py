"""Check stored log entries in bulk: position, leaf hash, type column and canonical form.

:func:`check_entries` gives, for a run of stored entries, the leaf hashes
recomputed from their bodies and every problem found. Each entry must
(1) sit at the next position, (2) have a stored leaf hash equal to
``SHA-256(0x00 || body)``, (3) be a canonical log entry exactly as
:func:`consentry.evidence.entry.parse_entry` requires (a JSON object of a
known ``type``, ``v`` 1, no personal-data field, at most 64 KiB, and its
bytes the RFC 8785 form of that object) and (4) have a stored ``type``
column equal to its body's ``type``.

Why two paths: re-serialising one entry at a time through ``rfc8785`` (pure
Python) cost ~30 µs an entry, 66x the hashing floor. The fast path checks a
whole run at once with the C JSON scanner and encoder, which for ASCII text
holding only objects, arrays, strings, integers of at most 15 digits,
booleans and null write exactly RFC 8785's bytes (keys sorted, no spaces,
the same escapes). Anything else (non-ASCII bytes, floats, bigger
integers) or any failure sends the run to the exact per-entry path, which
decides and words every problem. So the fast path only ever says "all
good" where the exact check would, and never changes what is found.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, NoReturn, Protocol

from consentry.evidence.entry import (
    MAX_ENTRY_BYTES,
    PERSONAL_FIELDS,
    SCHEMA_VERSION,
    EntryType,
    parse_entry,
)
from consentry.evidence.merkle import HASH_SIZE, LEAF_PREFIX, hash_leaf

_TYPES = frozenset(t.value for t in EntryType)


class LoggedEntry(Protocol):
    """What the verifier reads of a stored entry."""

    @property
    def position(self) -> int: ...

    @property
    def type(self) -> str: ...

    @property
    def body(self) -> bytes: ...

    @property
    def leaf_hash(self) -> bytes: ...


@dataclass(frozen=True)
class Checked:
    """A run of entries checked: their recomputed leaf hashes (packed) and the problems found."""

    leaves: bytes
    problems: list[tuple[int, str]]


class _NotFast(Exception):
    """The text holds something the fast path does not decide (a float, a big integer)."""


def _not_fast(_: str) -> NoReturn:
    raise _NotFast


# A number of 16 digits or more where a number can start (after ``:``, ``,`` or ``[``):
# RFC 8785 refuses integers past 2**53, so the fast path leaves those to the exact check.
# Found by folding every digit to 0 and every such mark to ``:``, then two substring
# searches (a string that merely holds such text costs its run the exact path, no more).
_FOLD = bytes.maketrans(b",[0123456789", b"::" + b"0" * 10)
_LONG = (b":" + b"0" * 16, b":-" + b"0" * 16)


def _long_number(text: bytes) -> bool:
    folded = text.translate(_FOLD)
    return _LONG[0] in folded or _LONG[1] in folded


# The C scanner json.loads uses (typeshed types its argument as a scanner; it is the decoder).
_SCAN = make_scanner(
    json.JSONDecoder(parse_float=_not_fast, parse_constant=_not_fast)  # type: ignore[arg-type]
)
_ENCODE = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False
).encode


def check_entries(first: int, entries: Sequence[LoggedEntry]) -> Checked:
    """Check ``entries``, expected at positions ``first``, ``first + 1``, ...: see the module."""
    if not entries:
        return Checked(b"", [])
    leaves = b"".join([hashlib.sha256(LEAF_PREFIX + e.body).digest() for e in entries])
    if (
        [e.position for e in entries] == list(range(first, first + len(entries)))
        and leaves == b"".join([e.leaf_hash for e in entries])
        and {len(e.leaf_hash) for e in entries} == {HASH_SIZE}  # no hash borrows its neighbour's
        and _all_canonical(entries)
    ):
        return Checked(leaves, [])
    problems: list[tuple[int, str]] = []
    for offset, entry in enumerate(entries):
        problems += check_entry(first + offset, entry)
    return Checked(leaves, problems)


def check_entry(expected: int, entry: LoggedEntry) -> list[tuple[int, str]]:
    """Every problem with one stored entry expected at ``expected`` (the exact check)."""
    problems = []
    if entry.position != expected:
        problems.append((expected, f"entry {expected} is missing or out of order"))
    if hash_leaf(entry.body) != entry.leaf_hash:
        problems.append((expected, f"entry {expected}: its body does not match its leaf hash"))
    fast = _canonical_one(entry.body)
    try:
        parsed = str(fast["type"]) if fast is not None else parse_entry(entry.body).type.value
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as exc:
        problems.append((expected, f"entry {expected} is not a canonical log entry: {exc}"))
        return problems
    if parsed != entry.type:
        problems.append(
            (
                expected,
                f"entry {expected}: its type column says {entry.type!r}, its body {parsed!r}",
            )
        )
    return problems


def _all_canonical(entries: Sequence[LoggedEntry]) -> bool:
    """True when every body is a canonical entry whose type is its type column (fast path)."""
    bodies = [e.body for e in entries]
    joined = b"[" + b",".join(bodies) + b"]"
    if not joined.isascii() or _long_number(joined) or max(map(len, bodies)) > MAX_ENTRY_BYTES:
        return False
    text = joined.decode("ascii")
    objects: list[Any] = []
    at = 1
    try:
        for size in map(len, bodies):
            obj, end = _SCAN(text, at)
            at += size
            if end != at:  # the body is not exactly one JSON value
                return False
            objects.append(obj)
            at += 1
    except (_NotFast, StopIteration, ValueError, RecursionError):
        return False
    # Each body parsed to exactly its own bytes, so equal texts mean each body is canonical.
    return _ENCODE(objects) == text and _fields_all_ok(objects, [e.type for e in entries])


def _fields_all_ok(objects: list[Any], columns: list[str]) -> bool:
    """:func:`_fields_ok` for every object and its type column, in a few C-level passes."""
    if {type(o) for o in objects} != {dict}:
        return False
    versions = [o.get("v") for o in objects]
    return (
        [o.get("type") for o in objects] == columns
        and _TYPES.issuperset(columns)
        and versions == [SCHEMA_VERSION] * len(versions)
        and {type(v) for v in versions} == {int}
        and PERSONAL_FIELDS.isdisjoint(set().union(*objects))
    )


def _canonical_one(body: bytes) -> dict[str, Any] | None:
    """The body's object when the fast path finds it canonical; None when it cannot say."""
    if not body.isascii() or len(body) > MAX_ENTRY_BYTES:
        return None
    if _long_number(b"[" + body):
        return None
    text = body.decode("ascii")
    try:
        obj, end = _SCAN(text, 0)
    except (_NotFast, StopIteration, ValueError, RecursionError):
        return None
    if end != len(text) or _ENCODE(obj) != text or not _fields_ok(obj, None):
        return None
    return obj  # type: ignore[no-any-return]


def _fields_ok(obj: object, column: str | None) -> bool:
    """A known type (equal to the type column, when given), version 1, no personal field."""
    if type(obj) is not dict:
        return False
    kind, version = obj.get("type"), obj.get("v")
    return (
        type(kind) is str
        and kind in _TYPES
        and (column is None or kind == column)
        and type(version) is int
        and version == SCHEMA_VERSION
        and PERSONAL_FIELDS.isdisjoint(obj)
    )
