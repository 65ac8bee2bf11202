"""Service administrators decide escalated complaints (the API and the portal).

An account of kind ``administrator`` is an administrator of every complaint
it is not a party to: it lists the escalated complaints and upholds one (with
a remedy, carried out at once as :mod:`consentry.actions.complaint_remedies`
does for the CLI) or dismisses it. Such an account stands for no party, so
the complaint's step and its ``complaint.resolved`` entry name the account's
id (the entry with ``by_account: true``). The parties named in
``$CONSENTRY_ADMINISTRATORS`` remain the administrators of the CLI.
"""

from __future__ import annotations

from consentry.actions.accounts import Account
from consentry.actions.complaint_remedies import Carried, RemedyArgs, resolve_with
from consentry.actions.complaints import list_complaints
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden, InvalidInput
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import Complaint, ComplaintState, Outcome, Remedy
from consentry.licensing.complaints_check import Verdict

DECISIONS = (Outcome.UPHELD, Outcome.DISMISSED)


def require_administrator(account: Account) -> None:
    """Forbidden unless the account is a service administrator."""
    if not account.is_admin:
        raise Forbidden("only an administrator decides escalated complaints")


def is_side(account: Account, complaint: Complaint) -> bool:
    """Whether the account acts for the complainant or the developer of ``complaint``."""
    return bool(account.acts_for & {complaint.complainant_id, complaint.developer_id})


def escalated_complaints(ws: Workspace, account: Account) -> list[tuple[Complaint, Verdict]]:
    """The escalated complaints this administrator may decide (not those it is a party to)."""
    require_administrator(account)
    found = list_complaints(ws, state=ComplaintState.ESCALATED)
    return [(c, v) for c, v in found if not is_side(account, c)]


def decide_complaint(
    ws: Workspace,
    account: Account,
    complaint_id: str,
    outcome: Outcome,
    *,
    remedy: Remedy | None = None,
    args: RemedyArgs | None = None,
    note: str | None = None,
) -> Carried:
    """Uphold (with ``remedy``, carried out now) or dismiss an escalated complaint.

    Refused (Forbidden) for any account but an administrator's, and for an
    administrator that acts for a party to the complaint; the rules of
    :mod:`consentry.licensing.complaints` refuse anything else (a complaint
    not escalated, an upheld one without a remedy) and nothing changes.
    """
    require_administrator(account)
    if outcome not in DECISIONS:
        raise InvalidInput(f"an administrator upholds or dismisses a complaint, not {outcome}")
    args = args or RemedyArgs()
    given = (args.licence_id, args.amount, args.currency, args.dataset_id)
    if remedy is None and any(x is not None for x in given):
        raise InvalidInput("a licence, an amount or a dataset is named only with a remedy")
    at = ws.now()

    def move(complaint: Complaint) -> Complaint:
        if is_side(account, complaint):
            raise Forbidden(f"you are a party to complaint {complaint.id}; you cannot decide it")
        actor = rules.account_actor(complaint, account.acts_for)
        return rules.resolve(
            complaint, account.id, actor, outcome, at, remedy=remedy, note=note, by_account=True
        )

    return resolve_with(ws, complaint_id, move, remedy, args)
