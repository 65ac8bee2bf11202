"""The log entry of a confirmed claim: ids and a time, never an email or a name.

A creator's account that claims a creator party on a work acts for that party
once the claim is confirmed (it then sets the work's consent and answers
requests about it), so the confirmation is evidence like any other change.
"""

from __future__ import annotations

from datetime import datetime

from consentry.evidence.entry import Entry, EntryType

# Who confirmed: the party that registered the work, or a service administrator.
AUTHORITIES = frozenset({"registrant", "administrator"})


def claim_confirmed(
    claim_id: str,
    work_id: str,
    party_id: str,
    account_id: str,
    *,
    authority: str,
    confirmed_by: str,
    at: datetime,
) -> Entry:
    """``account_id`` now acts for creator ``party_id`` of ``work_id``.

    ``confirmed_by`` is the registering party's id (``authority`` ``registrant``)
    or the administrator account's id (``authority`` ``administrator``).
    """
    if authority not in AUTHORITIES:
        raise ValueError(f"a claim is confirmed by {sorted(AUTHORITIES)}, not {authority!r}")
    return Entry(
        EntryType.CLAIM_CONFIRMED,
        {
            "claim": claim_id,
            "work": work_id,
            "party": party_id,
            "account": account_id,
            "authority": authority,
            "confirmed_by": confirmed_by,
            "confirmed_at": at.isoformat(),
        },
    )
