"""Claims: a creator says "I am this creator of that work", and it is confirmed or refused.

A publisher may register a work naming its author before the author has an
account. The author's account then claims the creator party on the work; the
party that registered the work (or an administrator) confirms it, and from
then on the account acts for that party: it sets the work's consent and
answers requests about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import RowMapping

from consentry.actions.accounts import Account, AccountKind
from consentry.actions.authorise import require_kind
from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.workspace import Workspace
from consentry.errors import ConflictError, Forbidden, InvalidInput
from consentry.evidence.events_claims import claim_confirmed
from consentry.store.accounts import AccountStore


@dataclass(frozen=True)
class Claim:
    """A claim on a creator party of a work, and where it stands."""

    id: str
    work_id: str
    account_id: str
    party_id: str
    status: str
    created_at: datetime
    decided_at: datetime | None


def claim_work(ws: Workspace, account: Account, work_id: str, party_id: str) -> Claim:
    """A creator account claims to be ``party_id``, a creator of ``work_id`` (pending)."""
    require_kind(account, AccountKind.CREATOR)
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        if party_id not in work.creator_ids:
            raise InvalidInput(f"{party_id} is not a creator of {work_id}")
        if party_id in account.acts_for:
            raise InvalidInput("you already act for that creator")
        store = AccountStore(registry.conn)
        if any(
            c["status"] == "pending"
            for c in store.claims(account_id=account.id, work_ids=[work_id])
        ):
            raise InvalidInput("you already have a pending claim on this work")
        claim_id = new_id("clm")
        store.add_claim(
            {
                "id": claim_id,
                "work_id": work_id,
                "account_id": account.id,
                "party_id": party_id,
                "status": "pending",
                "created_at": ws.now(),
            }
        )
        return _claim(store.claim_row(claim_id))


def decide_claim(ws: Workspace, account: Account, claim_id: str, *, confirm: bool) -> Claim:
    """The work's registering party (or an administrator) confirms or refuses a claim.

    A confirmation appends ``claim.confirmed`` to the evidence log in the same
    unit of work (ids only); a refusal changes who acts for nobody and is not logged.
    """
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        row = store.claim_row(claim_id)
        registrant = store.registrant_of(row["work_id"])
        allowed = account.is_admin or (registrant is not None and registrant in account.acts_for)
        if not allowed or row["account_id"] == account.id:
            raise Forbidden("only the party that registered the work, or an administrator, decides")
        if row["status"] != "pending":
            raise InvalidInput(f"claim {claim_id} was already {row['status']}")
        at = ws.now()
        if not store.decide_claim(claim_id, "confirmed" if confirm else "refused", at, account.id):
            raise ConflictError(f"claim {claim_id} was decided by someone else first")
        if confirm:
            by_registrant = registrant is not None and registrant in account.acts_for
            entry = claim_confirmed(
                claim_id,
                row["work_id"],
                row["party_id"],
                row["account_id"],
                authority="registrant" if by_registrant else "administrator",
                confirmed_by=registrant if by_registrant and registrant else account.id,
                at=at,
            )
            record(ws, registry, entry)
        return _claim(store.claim_row(claim_id))


def my_claims(ws: Workspace, account: Account) -> list[Claim]:
    """The claims the account made."""
    with ws.transaction() as registry:
        return [_claim(r) for r in AccountStore(registry.conn).claims(account_id=account.id)]


def claims_to_decide(ws: Workspace, account: Account) -> list[Claim]:
    """Pending claims on works the account's party registered (every one, for admins)."""
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        if account.is_admin:
            rows = store.claims()
        else:
            works = [w for p in sorted(account.acts_for) for w in store.works_registered_by(p)]
            rows = store.claims(work_ids=works) if works else []
    return [_claim(r) for r in rows if r["status"] == "pending"]


def _claim(row: RowMapping) -> Claim:
    return Claim(
        id=row["id"],
        work_id=row["work_id"],
        account_id=row["account_id"],
        party_id=row["party_id"],
        status=row["status"],
        created_at=row["created_at"],
        decided_at=row["decided_at"],
    )
