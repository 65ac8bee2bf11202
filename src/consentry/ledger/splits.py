"""Who gets what of a work's money: each party's exact fraction, from its shares and split.

A work's ``split`` divides its money between the creator group and the
rightsholder group (default: all to the creators when there is no
rightsholder, all to the rightsholders when there is no creator, else half
each). Within a group each party gets its resolved share
(:func:`consentry.registry.shares.resolved_shares`) over the group's sum of
shares, so a group whose given shares sum to less than 1 still passes on the
whole of its part. A party in both groups gets both parts. The fractions are
exact and sum to 1; :func:`split_minor` turns them into minor units by
largest remainder, in the order the parties were registered on the work.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from consentry.domain import Work
from consentry.errors import InvalidInput
from consentry.ledger.money import allocate
from consentry.registry.shares import resolved_shares


def _group_parts(work: Work, creators: bool, holders: bool) -> tuple[Fraction, Fraction]:
    if work.split is not None:
        return Fraction(work.split.creators), Fraction(work.split.rightsholders)
    if creators and holders:
        return Fraction(1, 2), Fraction(1, 2)
    return (Fraction(1), Fraction(0)) if creators else (Fraction(0), Fraction(1))


def party_fractions(work: Work) -> dict[str, Fraction]:
    """Each party's exact fraction of ``work``'s money (they sum to 1)."""
    creators, holders = resolved_shares(work)
    if not creators and not holders:
        raise InvalidInput(f"work {work.id} has no creator or rightsholder to pay")
    to_creators, to_holders = _group_parts(work, bool(creators), bool(holders))
    fractions: dict[str, Fraction] = {}
    for part, members in ((to_creators, creators), (to_holders, holders)):
        if not members or part == 0:
            continue
        total = sum((Fraction(s) for s in members.values()), Fraction(0))
        for party, share in members.items():
            each = Fraction(share) / total if total else Fraction(1, len(members))
            fractions[party] = fractions.get(party, Fraction(0)) + part * each
    return fractions


def split_minor(amount_minor: int, fractions: Mapping[str, Fraction]) -> dict[str, int]:
    """``amount_minor`` divided among the parties exactly (largest remainder)."""
    parties = list(fractions)
    parts = allocate(amount_minor, [fractions[p] for p in parties])
    return dict(zip(parties, parts, strict=True))
