"""A work's shares: checked and resolved in exact Decimal arithmetic, never float.

Within a work's creators the given shares sum to at most 1, and likewise
within its rightsholders, taken per territory with the world-wide
rightsholders counted in every territory (as the works import checks them).
A work's ``split`` divides money between the two groups: each part in [0, 1],
the two summing to exactly 1, and no part for a group the work lacks.

A missing share means an equal part of what the given shares leave within
that group. Parts are exact to ``10**-18`` (or finer, when a given share is
finer): when the rest does not divide evenly, the last units go one each to
the earliest-registered parties, so the group still sums exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, Inexact
from functools import reduce

from consentry.domain import Split, Work
from consentry.errors import InvalidInput

_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[Inexact])
"""Addition and subtraction that never round (and say so if they would)."""

_ZERO = Decimal(0)
_ONE = Decimal(1)
_FINEST_DEFAULT = -18
"""Equal parts are exact to this many decimal places unless a given share is finer."""

_Entry = tuple[str, Decimal | None]


def check_shares(work: Work) -> list[str]:
    """Every problem with ``work``'s shares and split, in words; empty when sound."""
    return [*_share_problems(work), *_split_problems(work)]


def resolved_shares(
    work: Work, territory: str | None = None
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """Each creator's and each rightsholder's share of its group, missing shares filled in.

    A party listed more than once (two roles) gets the sum of its given shares;
    a party with no share given anywhere takes an equal part of what the given
    shares leave (nothing when they leave nothing). ``territory`` limits the
    rightsholders to those holding it or the world; None takes them all, which
    is right only when they do not divide the world between them. Raises
    :class:`~consentry.errors.InvalidInput` when the shares have a problem.
    """
    problems = _share_problems(work)
    if problems:
        raise InvalidInput(
            f"{work.id}: " + "; ".join(problems), hint="correct the work's shares first"
        )
    creators = [(c.party_id, c.share) for c in work.contributions]
    holders = [
        (r.party_id, r.share)
        for r in work.rights
        if territory is None or r.territory in (territory, "world")
    ]
    return _resolve(creators), _resolve(holders)


def _share_problems(work: Work) -> list[str]:
    creators = [(c.party_id, c.share) for c in work.contributions]
    problems = _range_problems("creator", creators)
    total = _exact_sum(creators)
    if total > _ONE:
        problems.append(f"creators' shares sum to {total}, more than 1")
    problems += _range_problems("rightsholder", [(r.party_id, r.share) for r in work.rights])
    for territory in dict.fromkeys(r.territory for r in work.rights):
        total = _exact_sum(
            (r.party_id, r.share) for r in work.rights if r.territory in (territory, "world")
        )
        if total > _ONE:
            place = "" if territory == "world" else f" in {territory} (with the world-wide shares)"
            problems.append(f"rightsholders' shares sum to {total}{place}, more than 1")
    return problems


def _split_problems(work: Work) -> list[str]:
    split: Split | None = work.split
    if split is None:
        return []
    problems = [
        f"split gives {part} to {group}, not a part between 0 and 1"
        for group, part in (("creators", split.creators), ("rightsholders", split.rightsholders))
        if not _is_fraction(part)
    ]
    if problems:
        return problems
    total = _EXACT.add(split.creators, split.rightsholders)
    if total != _ONE:
        problems.append(f"split sums to {total}, not 1")
    for group, part, members in (
        ("creators", split.creators, work.creator_ids),
        ("rightsholders", split.rightsholders, work.rightsholder_ids),
    ):
        if part > 0 and not members:
            problems.append(f"split gives {part} to {group}, but the work has none")
    return problems


def _is_fraction(value: Decimal) -> bool:
    return value.is_finite() and _ZERO <= value <= _ONE


def _range_problems(group: str, entries: Sequence[_Entry]) -> list[str]:
    return [
        f"{group} {party} share {share} is not between 0 and 1"
        for party, share in entries
        if share is not None and not _is_fraction(share)
    ]


def _exact_sum(entries: Iterable[_Entry]) -> Decimal:
    """The exact sum of the valid given shares (invalid ones are reported apart)."""
    given = (s for _, s in entries if s is not None and _is_fraction(s))
    return reduce(_EXACT.add, given, _ZERO)


def _resolve(entries: Sequence[_Entry]) -> dict[str, Decimal]:
    given: dict[str, Decimal] = {}
    for party, share in entries:
        if share is not None:
            given[party] = _EXACT.add(given.get(party, _ZERO), share)
    without = [p for p in dict.fromkeys(p for p, _ in entries) if p not in given]
    rest = max(_ZERO, _EXACT.subtract(_ONE, _exact_sum(entries)))
    resolved = dict(given)
    resolved.update(zip(without, _equal_parts(rest, len(without)), strict=True))
    return {p: resolved[p] for p in dict.fromkeys(p for p, _ in entries)}


def _equal_parts(amount: Decimal, count: int) -> list[Decimal]:
    """``count`` parts of ``amount`` that differ by at most one unit and sum to it exactly."""
    if count == 0:
        return []
    sign, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int) and sign == 0  # finite and non-negative by construction
    places = min(_FINEST_DEFAULT, exponent)
    units = int("".join(map(str, digits)) or "0") * 10 ** (exponent - places)
    base, extra = divmod(units, count)
    return [_exact(base + (1 if i < extra else 0), places) for i in range(count)]


def _exact(units: int, exponent: int) -> Decimal:
    """``units * 10**exponent`` without trailing zeros, built from text (never rounded)."""
    while units and units % 10 == 0 and exponent < 0:
        units, exponent = units // 10, exponent + 1
    if units == 0:
        return _ZERO
    return Decimal(f"{units}E{exponent}")
