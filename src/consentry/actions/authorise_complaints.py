"""Who may do what with complaints (the service's rules for them).

- A creator or rightsholder files a complaint only as a party it acts for
  (the action checks that the party is one of the work's).
- A complaint is seen by its complainant, the developer it is against, and
  administrators.
- Only the developer answers; the complainant or the developer escalates or
  resolves, as :mod:`consentry.licensing.complaints` allows each of them.

Each check raises :class:`~consentry.errors.Forbidden` and changes nothing.
"""

from __future__ import annotations

from consentry.actions.accounts import Account, AccountKind
from consentry.actions.authorise import developer_party, require_kind
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden
from consentry.licensing.complaints import Complaint
from consentry.store.complaints import ComplaintStore


def may_file(ws: Workspace, account: Account, complainant_ref: str) -> str:
    """The complainant's party id, when the account acts for it."""
    require_kind(account, AccountKind.CREATOR, AccountKind.RIGHTSHOLDER)
    with ws.transaction() as registry:
        party = find_party(registry, complainant_ref)
    if party.id not in account.acts_for:
        raise Forbidden(f"you cannot complain as {party.id}; only that party can")
    return party.id


def sees(account: Account, complaint: Complaint) -> bool:
    """Whether the account may see the complaint."""
    return account.is_admin or bool(
        account.acts_for & {complaint.complainant_id, complaint.developer_id}
    )


def _complaint(ws: Workspace, complaint_id: str) -> Complaint:
    with ws.transaction() as registry:
        return ComplaintStore(registry.conn).get_complaint(complaint_id).complaint


def may_see(ws: Workspace, account: Account, complaint_id: str) -> None:
    """Forbidden unless the account may see the complaint (NotFound if there is none)."""
    if not sees(account, _complaint(ws, complaint_id)):
        raise Forbidden(f"complaint {complaint_id} is neither yours nor against you")


def may_answer(ws: Workspace, account: Account, complaint_id: str) -> str:
    """The developer's party id, when the complaint is against the account's developer."""
    developer = developer_party(account)
    if _complaint(ws, complaint_id).developer_id != developer:
        raise Forbidden(f"complaint {complaint_id} is not against you")
    return developer


def acting_party(ws: Workspace, account: Account, complaint_id: str) -> str:
    """The complainant or the developer, whichever the account acts for (to escalate, resolve)."""
    complaint = _complaint(ws, complaint_id)
    for party in (complaint.complainant_id, complaint.developer_id):
        if party in account.acts_for:
            return party
    raise Forbidden(f"complaint {complaint_id} is neither yours nor against you")
