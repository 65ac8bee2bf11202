"""The decision for one corpus item: include or exclude, with every reason.

A pure function of what the pipeline learned about the item (:class:`ItemFacts`:
its hashes, its matches, why it could not be read or searched), the decisions
of the registered works it matched (a snapshot taken at the frozen as-of date),
the reservation signals read for it, and the user's stated rules for
unregistered material. It reads no clock, database or file.

Order of the checks, each failing closed:

1. an item that could not be read: exclude, ``unreadable:<why>``;
2. an item matching registered works: included only when every matched work
   is included by DESIGN's decision table; otherwise excluded with the reason
   of every work that excludes it (``withheld`` first: nothing outweighs it);
3. unregistered material, consent regime: the first stated rule that covers it
   includes it (``source_licensed:<rule>``, ``open_licence:<SPDX>``,
   ``own:<rule>``); otherwise exclude, ``unknown``;
4. unregistered material, reservation regime: excluded when a reservation
   covers the scan's use (``reserved:<standard>``) or when it could not be
   searched (``unreadable:<why>``), else included, ``unreserved``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from consentry.domain import Reason, Use
from consentry.matching.types import Match
from consentry.policy.rules import UnregisteredRule
from consentry.policy.types import Decision, ItemReason, Regime, Reservation
from consentry.registry import WorkDecision


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What reading, fingerprinting and matching found out about one item."""

    item_id: str
    matches: tuple[Match, ...] = ()
    problem: str | None = None
    refused: str | None = None
    source: str | None = None
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Policy:
    """The regime, the use and the user's rules for unregistered material."""

    use: Use
    regime: Regime = Regime.CONSENT
    rules: tuple[UnregisteredRule, ...] = ()

    def decide(
        self,
        facts: ItemFacts,
        works: Mapping[str, WorkDecision],
        reservations: Sequence[Reservation] = (),
    ) -> Decision:
        """Include or exclude ``facts``' item, with every reason (see the module)."""
        if facts.problem is not None:
            return Decision.excluded(_as_code(facts.problem, ItemReason.UNREADABLE))
        if facts.matches:
            return _registered(facts.matches, works)
        if self.regime is Regime.RESERVATION:
            return self._reservation(facts, reservations)
        for rule in self.rules:
            code = rule(facts.source, facts.meta)
            if code is not None:
                return Decision(True, (code,))
        return Decision.excluded(str(ItemReason.UNKNOWN))

    def _reservation(self, facts: ItemFacts, reservations: Sequence[Reservation]) -> Decision:
        reserved = [r for r in reservations if r.covers(self.use)]
        if reserved:
            codes = tuple(dict.fromkeys(f"{ItemReason.RESERVED}:{r.standard}" for r in reserved))
            return Decision(False, codes)
        if facts.refused is not None:
            return Decision.excluded(f"{ItemReason.UNREADABLE}:{facts.refused}")
        return Decision(True, (str(ItemReason.UNRESERVED),))


def _registered(matches: tuple[Match, ...], works: Mapping[str, WorkDecision]) -> Decision:
    by_work = {m.work_id: m for m in matches}
    missing = [w for w in by_work if w not in works]
    if missing:
        return Decision.excluded(f"{ItemReason.ERROR}:no_decision_for:{missing[0]}")
    decided = [works[w] for w in by_work]
    blocking = sorted(
        (d for d in decided if not d.include), key=lambda d: d.reason is not Reason.WITHHELD
    )
    chosen = blocking[0] if blocking else decided[0]
    codes = tuple(dict.fromkeys(d.code for d in (blocking or decided)))
    match = by_work[chosen.work_id]
    return Decision(
        include=not blocking,
        reasons=codes,
        work_id=chosen.work_id,
        match=match.kind.value,
        score=match.score,
        licence_id=chosen.licence_id,
    )


def _as_code(problem: str, family: ItemReason) -> str:
    """``problem`` as a reason code: prefixed with ``family`` unless it names one already."""
    head = problem.split(":", 1)[0]
    return problem if head in {r.value for r in ItemReason} else f"{family}:{problem}"
