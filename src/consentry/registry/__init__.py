"""The consent rules over works, parties and consent: pure functions, no I/O.

``consentry.registry`` answers two questions from plain data (the works,
consents, mandates and licences a store hands it):

* what a party's effective answer is for a use on a work at a moment
  (:func:`effective_consent`), with a mandate never overriding what the party
  recorded itself;
* whether a registered work may be used by a developer for a use, model,
  territory and date (:func:`decide_work`), following DESIGN's decision table
  exactly: withheld wins, then no licence, no use, then every creator and
  rightsholder must have consented to the licence.

It also checks and resolves a work's shares (:func:`check_shares`,
:func:`resolved_shares`). It imports only the standard library and
``consentry.domain`` / ``consentry.errors``; the rules are documented in
``docs/decision-table.md`` and ``docs/uses.md`` and tested against them.
"""

from __future__ import annotations

from consentry.registry.decision import LicenceGap, WorkDecision, decide_work
from consentry.registry.shares import check_shares, resolved_shares
from consentry.registry.standing import PartyStanding, effective_consent

__all__ = [
    "LicenceGap",
    "PartyStanding",
    "WorkDecision",
    "check_shares",
    "decide_work",
    "effective_consent",
    "resolved_shares",
]
