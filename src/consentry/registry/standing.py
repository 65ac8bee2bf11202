"""A party's effective answer for one use on one work at one moment.

The rules, in order (``docs/decision-table.md``, "Effective consent"):

1. Only consents about this work, by this party, in force at ``at`` count.
2. Authority: when the party has any record of its own (no mandate) on a use
   related to the one asked (itself, above or below), only its own records
   count; a mandate never overrides what the party recorded itself. Otherwise
   records made through a mandate count, each only while its mandate
   ``authorises`` the party and that use at ``at``.
3. Within the winning authority, the latest record for each exact use is the
   party's answer for that use (ties broken towards ``withheld``, then ``ask``).
4. ``withheld`` when the answer on any related use is ``withheld`` (withheld
   wins); otherwise the nearest explicit answer on the use or a use above it
   (``granted`` or ``ask``) decides, so a grant on ``data_mining`` extends to
   ``ai_training`` unless the party said ``ask`` on ``ai_training`` itself;
   otherwise ``ask``, the default.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from consentry.domain import Consent, ConsentState, Mandate, PartyKind, SubjectKind, Use, Work
from consentry.errors import InvalidInput

_SEVERITY: Mapping[ConsentState, int] = {
    ConsentState.GRANTED: 0,
    ConsentState.ASK: 1,
    ConsentState.WITHHELD: 2,
}
"""Tie-break between records made at the same instant: the more cautious wins."""


@dataclass(frozen=True, slots=True)
class PartyStanding:
    """One party's effective answer for the use asked, and what decided it.

    ``consent`` is the record that decided (None when the party never answered
    and so stands at the default ``ask``); ``decided_by`` is the use that
    record is about, which may be above or below the use asked (a withheld
    ancestor, say); ``mandate_id`` is set when the deciding record was made
    through a mandate rather than by the party itself.
    """

    party_id: str
    group: PartyKind
    state: ConsentState
    consent: Consent | None = None
    decided_by: Use | None = None
    mandate_id: str | None = None

    @property
    def via_mandate(self) -> bool:
        """True when the deciding record was made on a mandate's authority."""
        return self.mandate_id is not None


def effective_consent(
    work: Work,
    party_id: str,
    use: Use,
    at: datetime,
    consents: Iterable[Consent],
    mandates: Iterable[Mandate],
) -> PartyStanding:
    """The effective answer of ``party_id`` for ``use`` on ``work`` at ``at``.

    Raises :class:`~consentry.errors.InvalidInput` when the party is neither a
    creator nor a rightsholder of the work: only they can consent for it.
    """
    group = _group(work, party_id)
    records = _records_in_force(work, party_id, at, consents)
    answers = _latest_per_use(_winning_authority(records, party_id, use, at, mandates))
    consent = _deciding_answer(use, answers)
    if consent is None:
        return PartyStanding(party_id, group, ConsentState.ASK)
    return PartyStanding(
        party_id=party_id,
        group=group,
        state=consent.state,
        consent=consent,
        decided_by=consent.use,
        mandate_id=consent.mandate_id,
    )


def _group(work: Work, party_id: str) -> PartyKind:
    if party_id in work.creator_ids:
        return PartyKind.CREATOR
    if party_id in work.rightsholder_ids:
        return PartyKind.RIGHTSHOLDER
    raise InvalidInput(
        f"{party_id} is not a creator or rightsholder of {work.id}",
        hint=f"see `consentry works show {work.id}` for its parties",
    )


def _records_in_force(
    work: Work, party_id: str, at: datetime, consents: Iterable[Consent]
) -> list[Consent]:
    return [
        c
        for c in consents
        if c.subject_kind is SubjectKind.WORK
        and c.subject_id == work.id
        and c.party_id == party_id
        and c.in_force(at)
    ]


def _winning_authority(
    records: Sequence[Consent],
    party_id: str,
    use: Use,
    at: datetime,
    mandates: Iterable[Mandate],
) -> list[Consent]:
    """The party's own records on related uses if any, else the authorised mandate records."""
    scope = use.related()
    in_scope = [c for c in records if c.use in scope]
    own = [c for c in in_scope if c.on_own_authority]
    if own:
        return own
    by_id: dict[str, list[Mandate]] = {}
    for mandate in mandates:
        by_id.setdefault(mandate.id, []).append(mandate)
    return [
        c
        for c in in_scope
        if c.mandate_id is not None
        and any(m.authorises(party_id, c.use, at) for m in by_id.get(c.mandate_id, ()))
    ]


def _order(consent: Consent) -> tuple[datetime, int, str, str, str, bool, datetime]:
    """A total order on one party's records for one use: latest, then most cautious."""
    return (
        consent.recorded_at,
        _SEVERITY[consent.state],
        consent.mandate_id or "",
        consent.recorded_by,
        consent.evidence or "",
        consent.expires_at is None,
        consent.expires_at or consent.recorded_at,
    )


def _latest_per_use(records: Iterable[Consent]) -> dict[Use, Consent]:
    latest: dict[Use, Consent] = {}
    for record in records:
        current = latest.get(record.use)
        if current is None or _order(record) > _order(current):
            latest[record.use] = record
    return latest


def _deciding_answer(use: Use, answers: Mapping[Use, Consent]) -> Consent | None:
    """Withheld on any related use, else the nearest answer on ``use`` or above."""
    for candidate in (use, *use.ancestors(), *use.descendants()):
        answer = answers.get(candidate)
        if answer is not None and answer.state is ConsentState.WITHHELD:
            return answer
    for candidate in (use, *use.ancestors()):
        answer = answers.get(candidate)
        if answer is not None:
            return answer
    return None
