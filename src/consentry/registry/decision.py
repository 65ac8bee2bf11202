"""The decision for a registered work: DESIGN's decision table, row by row.

For work W, developer D, use U, model M, date T and territory R:

1. any creator or rightsholder of W withheld U, a use above or below it:
   exclude, ``withheld`` (nothing outweighs it);
2. else no licence to D covers W, U, M, T and R: exclude, ``unlicensed``;
3. else no covering licence has the consent of every creator and rightsholder
   of W (each granted the licence by T, or stands at ``granted`` for U):
   exclude, ``unassured``; a work with no parties at all is never assured;
4. else include, ``licensed:<id>`` with the lowest qualifying licence id.

A standing ``granted`` without a licence lets no one in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from consentry.domain import Consent, ConsentState, Licence, Mandate, Reason, Use, Work
from consentry.registry.standing import PartyStanding, effective_consent


@dataclass(frozen=True, slots=True)
class LicenceGap:
    """A licence that covers the request, and the parties whose consent it lacks."""

    licence_id: str
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkDecision:
    """Whether a registered work may be used as asked, why, and each party's standing.

    ``missing`` lists, for an ``unassured`` decision, every party whose
    consent some covering licence lacks (in the work's party order);
    ``gaps`` says which, licence by licence (lowest id first). Both are empty
    for every other reason.
    """

    work_id: str
    include: bool
    reason: Reason
    use: Use
    parties: tuple[PartyStanding, ...]
    licence_id: str | None = None
    missing: tuple[str, ...] = ()
    gaps: tuple[LicenceGap, ...] = ()
    developer_id: str | None = None

    @property
    def code(self) -> str:
        """The manifest reason: ``withheld``, ``unlicensed``, ``unassured``, ``licensed:<id>``."""
        if self.reason is Reason.LICENSED:
            return f"{self.reason}:{self.licence_id}"
        return str(self.reason)

    @property
    def withheld_by(self) -> tuple[PartyStanding, ...]:
        """The parties whose withheld consent excludes the work (empty unless withheld)."""
        return tuple(s for s in self.parties if s.state is ConsentState.WITHHELD)

    def explain(self) -> str:
        """One line for people: who or what decided, e.g. who withheld which use."""
        if self.reason is Reason.WITHHELD:
            return "withheld by " + "; ".join(self._withheld(s) for s in self.withheld_by)
        if self.reason is Reason.UNLICENSED:
            if self.developer_id is None:
                return "no developer given, so no licence can apply"
            return (
                f"no licence in force covers {self.use} of {self.work_id} by "
                f"{self.developer_id} (check its works, uses, term, model and territory)"
            )
        if self.reason is Reason.UNASSURED:
            return self._unassured()
        return (
            f"licensed by {self.licence_id}: every creator and rightsholder consented "
            f"({len(self.parties)} part{'y' if len(self.parties) == 1 else 'ies'})"
        )

    def _withheld(self, standing: PartyStanding) -> str:
        where = standing.decided_by or self.use
        if where in self.use.ancestors():
            where_text = f"{where} (above {self.use})"
        elif where in self.use.descendants():
            where_text = f"{where} (below {self.use})"
        else:
            where_text = str(where)
        via = f" through mandate {standing.mandate_id}" if standing.via_mandate else ""
        return f"party {standing.party_id} on {where_text}{via}"

    def _unassured(self) -> str:
        licences = ", ".join(g.licence_id for g in self.gaps)
        if not self.parties:
            return (
                f"licence {licences} covers it, but the work has no registered creator or "
                "rightsholder, so no licence can be assured (fail closed)"
            )
        lacks = "; ".join(
            f"licence {g.licence_id} lacks the consent of {', '.join(g.missing)}" for g in self.gaps
        )
        return f"{lacks} (each must grant the licence or grant {self.use})"


def decide_work(
    work: Work,
    *,
    consents: Iterable[Consent],
    licences: Iterable[Licence],
    mandates: Iterable[Mandate],
    developer_id: str | None,
    use: Use,
    at: datetime,
    model: str | None = None,
    territory: str | None = None,
) -> WorkDecision:
    """Decide ``work`` for ``developer_id``, ``use``, ``model``, ``territory`` at ``at``.

    Follows DESIGN's decision table exactly (module docstring). ``developer_id``
    None means no licence can apply. The result does not depend on the order
    of ``consents``, ``licences`` or ``mandates``.
    """
    records, authorities = tuple(consents), tuple(mandates)
    standings = tuple(
        effective_consent(work, party, use, at, records, authorities) for party in work.party_ids
    )
    question = _Question(work.id, use, standings, developer_id)
    if any(s.state is ConsentState.WITHHELD for s in standings):
        return question.answer(Reason.WITHHELD)
    covering = _covering(work, licences, developer_id, use, at, model, territory)
    if not covering:
        return question.answer(Reason.UNLICENSED)
    gaps = tuple(LicenceGap(lic.id, _missing(work, lic, standings, at)) for lic in covering)
    assured = [g.licence_id for g in gaps if not g.missing]
    if standings and assured:  # a work without parties is never assured (fail closed)
        return question.answer(Reason.LICENSED, licence_id=assured[0])
    missing = tuple(p for p in work.party_ids if any(p in g.missing for g in gaps))
    return question.answer(Reason.UNASSURED, missing=missing, gaps=gaps)


@dataclass(frozen=True, slots=True)
class _Question:
    """What every decision for one request carries, whatever its reason."""

    work_id: str
    use: Use
    standings: tuple[PartyStanding, ...]
    developer_id: str | None

    def answer(
        self,
        reason: Reason,
        *,
        licence_id: str | None = None,
        missing: tuple[str, ...] = (),
        gaps: tuple[LicenceGap, ...] = (),
    ) -> WorkDecision:
        return WorkDecision(
            work_id=self.work_id,
            include=reason is Reason.LICENSED,
            reason=reason,
            use=self.use,
            parties=self.standings,
            licence_id=licence_id,
            missing=missing,
            gaps=gaps,
            developer_id=self.developer_id,
        )


def _covering(
    work: Work,
    licences: Iterable[Licence],
    developer_id: str | None,
    use: Use,
    at: datetime,
    model: str | None,
    territory: str | None,
) -> list[Licence]:
    """The licences covering the request, lowest id first (none without a developer)."""
    if developer_id is None:
        return []
    found = [
        lic
        for lic in licences
        if lic.covers(
            work_id=work.id,
            developer_id=developer_id,
            use=use,
            at=at,
            model=model,
            territory=territory,
        )
    ]
    return sorted(found, key=lambda lic: lic.id)


def _missing(
    work: Work, licence: Licence, standings: Sequence[PartyStanding], at: datetime
) -> tuple[str, ...]:
    """Parties that neither granted ``licence`` for ``work`` by ``at`` nor stand at granted."""
    agreed = licence.granted_by(work.id, at)
    return tuple(
        s.party_id
        for s in standings
        if s.party_id not in agreed and s.state is not ConsentState.GRANTED
    )
