"""Step 2 of a scan: decide every item from its facts and a snapshot of the registry.

The registry is seen only through :class:`RegistrySnapshot` (exact-hash lookups
and the decision of each registered work at the frozen as-of date), which the
caller implements over its store; this module stays pure of databases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from consentry.domain import PartyKind
from consentry.matching.types import Match, MatchKind, strongest_per_work
from consentry.policy import Decision, ItemFacts, Policy
from consentry.registry import WorkDecision
from consentry.signals import reservations

BATCH = 1000


class RegistrySnapshot(Protocol):
    """What the decide step needs from the registry, read at the frozen as-of date."""

    def exact_works(self, hashes: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """For each hash (raw or normalised content SHA-256), the works holding it."""
        ...

    def decisions(self, work_ids: Iterable[str]) -> Mapping[str, WorkDecision]:
        """The decision table's outcome for each work (for the scan's developer and use)."""
        ...


class EmptyRegistry:
    """A registry with no registered work: every item is unregistered.

    For scans that need no registry (the reservation regime over material no
    one registered), and for testing the pipeline on its own.
    """

    def exact_works(self, hashes: Sequence[str]) -> Mapping[str, Sequence[str]]:
        """No work holds any hash."""
        return {}

    def decisions(self, work_ids: Iterable[str]) -> Mapping[str, WorkDecision]:
        """No work to decide."""
        return {}


@contextmanager
def no_registry() -> Iterator[EmptyRegistry]:
    """Open the :class:`EmptyRegistry` (the shape ``run_scan``'s ``open_snapshot`` takes)."""
    yield EmptyRegistry()


@dataclass
class Tally:
    """Counts for the summary: by decision, by reason code, by excluded registered work."""

    decisions: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    excluded_works: Counter[str] = field(default_factory=Counter)
    excluded_creators: Counter[str] = field(default_factory=Counter)

    def add(self, decided: Decided) -> None:
        """Count one decided item."""
        decision = decided.decision
        self.decisions["include" if decision.include else "exclude"] += 1
        for code in decision.reasons:
            self.reasons[code.split(":", 1)[0]] += 1
        if not decision.include and decision.work_id is not None:
            self.excluded_works[decision.work_id] += 1
            self.excluded_creators.update(decided.creators)


@dataclass(frozen=True, slots=True)
class Decided:
    """One item's facts, its decision, all its matches, and the deciding work's creators."""

    row: dict[str, Any]
    decision: Decision
    matches: tuple[Match, ...]
    creators: tuple[str, ...] = ()


def decide_rows(
    facts: Iterable[dict[str, Any]], policy: Policy, snapshot: RegistrySnapshot
) -> Iterator[Decided]:
    """Each facts row with its decision and all its matches, in order, in batches."""
    batch: list[dict[str, Any]] = []
    for row in facts:
        batch.append(row)
        if len(batch) >= BATCH:
            yield from _decide_batch(batch, policy, snapshot)
            batch = []
    yield from _decide_batch(batch, policy, snapshot)


def _decide_batch(
    batch: list[dict[str, Any]], policy: Policy, snapshot: RegistrySnapshot
) -> Iterator[Decided]:
    hashes = sorted({h for r in batch for h in (r.get("sha256"), r.get("content_sha256")) if h})
    exact = snapshot.exact_works(hashes) if hashes else {}
    matched = [_matches(row, exact) for row in batch]
    works = snapshot.decisions(sorted({m.work_id for ms in matched for m in ms}))
    for row, matches in zip(batch, matched, strict=True):
        facts = ItemFacts(
            item_id=row["item_id"],
            matches=matches,
            problem=row.get("problem"),
            refused=row.get("refused"),
            source=row.get("source"),
            meta=row.get("meta", {}),
        )
        decision = policy.decide(facts, works, reservations(row.get("signals", [])))
        deciding = works.get(decision.work_id) if decision.work_id else None
        creators = tuple(
            s.party_id
            for s in (deciding.parties if deciding else ())
            if s.group is PartyKind.CREATOR
        )
        yield Decided(row, decision, matches, creators)


def _matches(row: dict[str, Any], exact: Mapping[str, Sequence[str]]) -> tuple[Match, ...]:
    """Exact (registry) and near (index) matches, one per work, strongest first."""
    found: list[Match] = []
    for key in ("sha256", "content_sha256"):
        digest = row.get(key)
        for work_id in exact.get(digest, ()) if digest else ():
            found.append(Match(work_id, MatchKind.EXACT, 1.0, {key: digest}))
    for m in row.get("near", ()):
        found.append(Match(m["work_id"], MatchKind(m["kind"]), m["score"], m["evidence"]))
    return strongest_per_work(found)
