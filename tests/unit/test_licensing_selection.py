"""Refusals respected and bulk requests filtered: the pure rules of which works may be asked for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from consentry.licensing.selection import (
    FOREVER,
    Refusal,
    blocked_until,
    refused_skips,
    withheld_skips,
    works_a_scan_excluded,
)
from consentry.licensing.types import Preference

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def test_a_refusal_blocks_forever_unless_the_party_opted_in() -> None:
    refusal = Refusal("w", "c", T0)
    assert blocked_until(refusal, None) == FOREVER
    assert blocked_until(refusal, Preference("c")) == FOREVER
    assert blocked_until(refusal, Preference("c", ask_again_days=30)) == T0 + timedelta(days=30)
    assert blocked_until(refusal, Preference("c", ask_again_days=0)) == T0


def test_the_longest_block_of_a_work_wins_and_ends_on_time() -> None:
    refusals = [Refusal("w", "a", T0), Refusal("w", "b", T0 + timedelta(days=5))]
    prefs = {"a": Preference("a", 10), "b": Preference("b", 10)}
    skip = refused_skips(refusals, prefs, T0 + timedelta(days=1))["w"]
    assert (skip.party_id, skip.until) == ("b", T0 + timedelta(days=15))
    assert refused_skips(refusals, prefs, T0 + timedelta(days=15)) == {}


def test_withheld_works_are_skipped_unless_every_withholding_party_asks() -> None:
    withheld = {"w1": frozenset({"a"}), "w2": frozenset({"a", "b"})}
    prefs = {"a": Preference("a", ask_when_withheld=True)}
    skips = withheld_skips(withheld, prefs)
    assert list(skips) == ["w2"] and skips["w2"].party_id == "b"


def test_a_scan_s_requestable_works_are_the_unlicensed_and_unassured_ones() -> None:
    rows: list[dict[str, Any]] = [
        {"decision": "exclude", "reasons": ["unassured"], "work_id": "b"},
        {"decision": "exclude", "reasons": ["unlicensed"], "work_id": "a"},
        {"decision": "exclude", "reasons": ["withheld"], "work_id": "c"},
        {"decision": "include", "reasons": ["licensed:lic_1"], "work_id": "d"},
        {"decision": "exclude", "reasons": ["unknown"], "work_id": None},
        {"decision": "exclude", "reasons": ["unlicensed"], "work_id": "a"},
    ]
    assert works_a_scan_excluded(rows) == ["a", "b"]
