"""``find_party`` by indexed lookups answers exactly what reading every party would."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from consentry.actions.parties import find_party
from consentry.domain import Party, PartyKind
from consentry.errors import AmbiguousParty, NotFound
from consentry.store.registry import Registry


def _oracle(every: list[Party], ref: str) -> Party | str:
    """The answer from a full read: id first, then ISNI or IPI, then one exact name."""
    by_key = sorted((p for p in every if ref in (p.id, p.isni, p.ipi)), key=lambda p: p.id)
    if by_key:
        return next((p for p in by_key if p.id == ref), by_key[0])
    named = [p for p in every if p.name == ref]
    return named[0] if len(named) == 1 else ("ambiguous" if named else "missing")


def _answer(registry: Registry, ref: str) -> Party | str:
    try:
        return find_party(registry, ref)
    except AmbiguousParty:
        return "ambiguous"
    except NotFound:
        return "missing"


def test_find_party_answers_as_a_full_read_would(registry: Registry) -> None:
    rng = random.Random(5)
    names = ["Ada", "Bo", "Cy", "p_0003", "0000000121032683"]  # names that look like keys too
    every = [
        Party(
            f"p_{i:04d}",
            rng.choice(names),
            PartyKind.CREATOR,
            isni=f"{i:016d}" if i % 3 == 0 else None,
            ipi=f"{i:011d}" if i % 4 == 0 else None,
        )
        for i in range(60)
    ]
    registry.add_parties(every)
    refs = [p.id for p in every] + [f"{i:016d}" for i in range(0, 60, 7)]
    refs += [f"{i:011d}" for i in range(0, 60, 5)] + names + ["nobody", ""]
    for ref in refs:
        assert _answer(registry, ref) == _oracle(every, ref), ref


def test_the_lookups_use_indexes_on_sqlite(registry: Registry) -> None:
    if registry.conn.dialect.name != "sqlite":
        pytest.skip("query plans are read on SQLite")
    plan = " ".join(
        str(row[-1])
        for sql in (
            "SELECT * FROM parties WHERE id = 'x' OR isni = 'x' OR ipi = 'x'",
            "SELECT * FROM parties WHERE name = 'x'",
        )
        for row in registry.conn.execute(text("EXPLAIN QUERY PLAN " + sql))
    )
    assert "SCAN parties" not in plan and "USING" in plan, plan
