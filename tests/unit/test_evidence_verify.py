"""Whole-log verification: the bulk checks find exactly what the per-entry checks find.

The fast path (C JSON scanner and encoder over a run of entries) may only
ever say "all good" where the exact per-entry check (``parse_entry``, which
re-serialises through ``rfc8785``) would; every tampering is still reported
at its position, also in runs after the first.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.evidence import verify as verify_module
from consentry.evidence import verify_entries
from consentry.evidence.checkpoint import Checkpoint
from consentry.evidence.entry import PERSONAL_FIELDS, Entry, EntryType, parse_entry
from consentry.evidence.merkle import MerkleTree, hash_leaf
from consentry.evidence.note import Signer
from consentry.evidence.verify import LogReport, verify_log

SIGNER = Signer.generate("test.example/log")


@dataclass(frozen=True)
class Row:
    """A stored entry as the store gives it (less its time)."""

    position: int
    type: str
    body: bytes
    leaf_hash: bytes


def _row(position: int, body: bytes, kind: str = "consent.set") -> Row:
    return Row(position, kind, body, hash_leaf(body))


def _log(n: int) -> list[Row]:
    rows = []
    for i in range(n):
        fields = {"party": f"p_{i % 7}", "subject": f"w_{i}", "state": "granted", "n": i}
        rows.append(_row(i, Entry(EntryType.CONSENT_SET, fields).canonical()))
    return rows


def _note(rows: list[Row], size: int | None = None) -> str:
    size = len(rows) if size is None else size
    root = MerkleTree([r.leaf_hash for r in rows]).root(size)
    return Checkpoint(SIGNER.name, size, root).signed(SIGNER)


def _verify(rows: list[Row], notes: list[str]) -> LogReport:
    return verify_log(rows, notes, SIGNER.verifier())


def _exactly_canonical(body: bytes) -> bool:
    try:
        parse_entry(body)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return False
    return True


@pytest.fixture(params=[3, verify_module.RUN])
def run_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> int:
    """Runs of 3 (many runs, bad entries in later ones) and of the real size."""
    size: int = request.param
    monkeypatch.setattr(verify_module, "RUN", size)
    return size


def test_a_good_log_verifies_in_runs(run_size: int) -> None:
    rows = _log(10)
    report = _verify(rows, [_note(rows, 4), _note(rows)])
    assert report.ok and report.size == 10 and report.checkpoints == 2


TAMPERINGS: dict[str, Callable[[Row], Row]] = {
    "body edited, leaf kept": lambda r: replace(r, body=r.body.replace(b"granted", b"withheld")),
    "leaf edited": lambda r: replace(r, leaf_hash=bytes(32)),
    "type column disagrees": lambda r: replace(r, type="licence.granted"),
    "spaces, leaf recomputed": lambda r: _row(r.position, r.body.replace(b",", b", ")),
    "keys unsorted, leaf recomputed": lambda r: _row(
        r.position,
        json.dumps(dict(reversed(json.loads(r.body).items())), separators=(",", ":")).encode(),
    ),
    "a list, leaf recomputed": lambda r: _row(r.position, b"[1]"),
    "a personal field, leaf recomputed": lambda r: _row(
        r.position, rfc8785.dumps({**json.loads(r.body), "email": "a@b.example"})
    ),
    "unknown type, leaf recomputed": lambda r: _row(
        r.position, rfc8785.dumps({**json.loads(r.body), "type": "made.up"}), "made.up"
    ),
    "version 2, leaf recomputed": lambda r: _row(
        r.position, rfc8785.dumps({**json.loads(r.body), "v": 2})
    ),
    "version true, leaf recomputed": lambda r: _row(
        r.position, r.body.replace(b'"v":1', b'"v":true')
    ),
    "a float not in RFC 8785 form": lambda r: _row(
        r.position, r.body.replace(b'"n":7', b'"n":7.50')
    ),
    "an integer past 2**53": lambda r: _row(
        r.position, r.body.replace(b'"n":7', b'"n":90071992547409937')
    ),
    "an escaped slash, leaf recomputed": lambda r: _row(r.position, r.body.replace(b"p_", b"p\\/")),
    "an escaped letter, leaf recomputed": lambda r: _row(
        r.position, r.body.replace(b"p_", b"\\u0070_")
    ),
}


@pytest.mark.parametrize("how", sorted(TAMPERINGS))
def test_each_tampering_is_found_at_its_position(run_size: int, how: str) -> None:
    rows = _log(10)
    notes = [_note(rows, 3)]  # a checkpoint before the edit: it still holds
    rows[7] = TAMPERINGS[how](rows[7])
    report = _verify(rows, notes)
    assert not report.ok and report.first_bad == 7, report.problems


def test_dropped_reordered_and_inserted_entries_are_found(run_size: int) -> None:
    rows = _log(10)
    dropped = rows[:5] + rows[6:]
    assert _verify(dropped, []).first_bad == 5
    swapped = [*rows[:4], rows[5], rows[4], *rows[6:]]
    assert _verify(swapped, []).first_bad == 4
    inserted = [*rows[:6], _row(6, rows[6].body), *rows[6:]]
    assert _verify(inserted, []).first_bad == 7


def test_a_rewritten_history_fails_its_checkpoint_and_a_fork_is_found(run_size: int) -> None:
    rows = _log(10)
    note = _note(rows)
    edited = Entry(EntryType.CONSENT_SET, {"party": "p_x", "subject": "w_6", "state": "granted"})
    rows[6] = _row(6, edited.canonical())  # canonical, leaf recomputed: only the tree shows it
    report = _verify(rows, [note])
    assert not report.ok and report.first_bad is not None and report.first_bad <= 6
    forked = _note(rows[:8])  # signed over the rewritten tree, with the honest one kept
    honest = _log(10)
    fork = _verify(honest, [_note(honest, 5), forked])
    assert not fork.ok and any("fork" in p or "changed" in p for p in fork.problems)


def test_leaf_hashes_that_borrow_a_byte_are_found(run_size: int) -> None:
    rows = _log(10)
    six, seven = rows[6].leaf_hash, rows[7].leaf_hash
    rows[6] = replace(rows[6], leaf_hash=six + seven[:1])
    rows[7] = replace(rows[7], leaf_hash=seven[1:])
    report = _verify(rows, [])
    assert report.first_bad == 6 and len(report.problems) == 2


def test_a_broken_body_is_reported_not_raised() -> None:
    rows = _log(3)
    for body in (b"[1]", b'"text"', b"1" * 30, b"[" * 100_000, b"\xff\xfe", b"NaN"):
        rows[1] = _row(1, body)
        report = _verify(rows, [])
        assert report.first_bad == 1 and "not a canonical log entry" in " ".join(report.problems)


def test_entries_outside_the_fast_path_still_verify(run_size: int) -> None:
    """Canonical entries with floats, long integers or non-ASCII text take the exact path."""
    rows = _log(10)
    for i, extra in ((2, {"x": 1.5}), (5, {"x": 2**52}), (8, {"x": "Ærø ✓"})):
        rows[i] = _row(i, rfc8785.dumps({**json.loads(rows[i].body), **extra}))
    assert _verify(rows, [_note(rows)]).ok


# -- the fast path never accepts what the exact check refuses ----------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=6)
_SCALAR = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**60), 2**60),
    st.floats(allow_nan=False, allow_infinity=False),
    _TEXT,
)
_JSON = st.recursive(
    _SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=8,
)
_FIELDS = st.dictionaries(st.sampled_from(["a", "party", "type", "v", "zz", "É", "name"]), _JSON)


def _writings(obj: dict[str, Any]) -> list[bytes]:
    """The object written canonically and in the ways a careless writer might."""
    out = [json.dumps(obj, separators=(",", ":")).encode()]
    out.append(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode())
    out.append(json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    with contextlib.suppress(ValueError):
        out.append(rfc8785.dumps(obj))
    return out


@settings(max_examples=400, deadline=None)
@given(_FIELDS, st.sampled_from(["consent.set", "work.registered", "nope"]), st.booleans())
def test_the_fast_check_agrees_with_the_exact_one(
    fields: dict[str, Any], kind: str, typed: bool
) -> None:
    obj = {**fields, "type": kind, "v": 1} if typed else fields
    for body in _writings(obj):
        fast = verify_entries._canonical_one(body) is not None
        assert not fast or _exactly_canonical(body), body
        row = _row(0, body, kind)
        in_bulk = verify_entries._all_canonical([row, row])
        assert not in_bulk or _exactly_canonical(body), body
        exact = verify_entries.check_entry(0, row)
        assert verify_entries.check_entries(0, [row]).problems == exact


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([b"{", b"}", b"[", b"]", b",", b'"a":', b'"', b"1"]), max_size=12))
def test_entries_cannot_borrow_each_others_bytes_in_a_run(pieces: list[bytes]) -> None:
    """A run is parsed from one joined text; a body must still be exactly one whole object."""
    good = _log(2)
    bodies = [good[0].body[:-1] + b"".join(pieces), b"".join(pieces) + good[1].body[1:]]
    rows = [_row(i, b) for i, b in enumerate(bodies)]
    if verify_entries._all_canonical(rows):
        assert all(_exactly_canonical(b) for b in bodies)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=5),
        st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=8)
        | st.integers(-(10**15) + 1, 10**15 - 1),
        max_size=5,
    ).filter(lambda d: not ({"type", "v"} & set(d) or PERSONAL_FIELDS & set(d)))
)
def test_canonical_entries_take_the_fast_path(fields: dict[str, Any]) -> None:
    """Every entry the registry writes (ASCII, small integers) is decided at C speed."""
    row = _row(0, Entry(EntryType.CONSENT_SET, fields).canonical())
    assert verify_entries._canonical_one(row.body) is not None
    assert verify_entries._all_canonical([row, row, row])
