"""Who may do what with licence requests and answers (the service's rules for them).

- A developer sends requests only as itself, and alone accepts counters,
  accepts offers and withdraws its requests.
- A developer sees its own requests; a creator or rightsholder sees the
  requests naming its works (or its mandators' works); administrators see all.
- Only a work's own party answers for it, or an agent holding an unrevoked
  mandate from that party.
- Only the developer whose scan made a dataset version requests the works
  that scan excluded (``from_dataset``).
- Only members of a rightsholder organisation offer its catalogue.

Each check raises :class:`~consentry.errors.Forbidden` and changes nothing;
:mod:`consentry.actions.authorise` holds the rules for everything else.
"""

from __future__ import annotations

from consentry.actions.accounts import Account, AccountKind
from consentry.actions.authorise import developer_party, require_kind
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import PartyKind
from consentry.errors import Forbidden
from consentry.licensing.types import LicenceRequest
from consentry.store import Registry
from consentry.store.requests import RequestStore


def _agent_of(registry: Registry, account: Account, creator_ids: frozenset[str]) -> bool:
    """Whether the account holds an unrevoked mandate from any of these creators."""
    if account.party_id is None or not creator_ids:
        return False
    mandates = registry.mandates_for_creators(creator_ids)
    return any(m.agent_id == account.party_id and m.revoked_at is None for m in mandates)


def _sees(registry: Registry, account: Account, request: LicenceRequest) -> bool:
    if account.is_admin or request.developer_id == account.party_id:
        return True
    if account.kind == AccountKind.DEVELOPER:
        return False
    if request.offered_by is not None and request.offered_by in account.acts_for:
        return True
    works = registry.get_works(list(request.work_ids))
    if any(account.acts_for & set(w.party_ids) for w in works):
        return True
    return any(_agent_of(registry, account, frozenset(w.creator_ids)) for w in works)


def visible_requests(
    ws: Workspace, account: Account, requests: list[LicenceRequest]
) -> list[LicenceRequest]:
    """The requests the account may see, in the order given."""
    with ws.transaction() as registry:
        return [r for r in requests if _sees(registry, account, r)]


def may_see_request(ws: Workspace, account: Account, request_id: str) -> LicenceRequest:
    """The request, when the account may see it (NotFound when there is none)."""
    with ws.transaction() as registry:
        request = RequestStore(registry.conn).get_request(request_id)
        if _sees(registry, account, request):
            return request
    raise Forbidden(f"request {request_id} is neither yours nor about your works")


def may_answer(
    ws: Workspace, account: Account, request_id: str, party_ref: str, mandate_id: str | None
) -> tuple[str, str | None]:
    """The answering party's id and, for an agent, the agent's id (``answered_by``).

    The account answers as the party itself, or as the agent of the mandate it
    names; the request must be one it can see.
    """
    may_see_request(ws, account, request_id)
    with ws.transaction() as registry:
        party = find_party(registry, party_ref)
        if mandate_id is None:
            if party.id not in account.acts_for:
                raise Forbidden(f"you cannot answer for {party.id}; only that party can")
            return party.id, None
        mandate = registry.get_mandate(mandate_id)
    if account.party_id is None or mandate.agent_id != account.party_id:
        raise Forbidden(f"mandate {mandate_id} was not given to you")
    return party.id, account.party_id


def may_settle(ws: Workspace, account: Account, request_id: str) -> LicenceRequest:
    """The request, when the account is its developer (accept, refuse, withdraw)."""
    developer = developer_party(account)
    with ws.transaction() as registry:
        request = RequestStore(registry.conn).get_request(request_id)
    if request.developer_id != developer:
        raise Forbidden(f"request {request_id} is not yours")
    return request


def may_request_from_dataset(ws: Workspace, account: Account, dataset_id: str) -> str:
    """The developer's party, when the dataset version is from its own scan.

    A request ``from_dataset`` asks for the works that scan excluded; only the
    developer whose scan it was may send it (NotFound when there is no such version).
    """
    developer = developer_party(account)
    with ws.transaction() as registry:
        version = registry.get_dataset_version(dataset_id)
    if version.developer_id != developer:
        raise Forbidden(f"dataset version {dataset_id} is not from your scan")
    return developer


def may_offer(ws: Workspace, account: Account, rightsholder_ref: str) -> str:
    """The rightsholder's party id, when the account is a member of that organisation."""
    require_kind(account, AccountKind.RIGHTSHOLDER)
    with ws.transaction() as registry:
        holder = find_party(registry, rightsholder_ref)
    if holder.kind is not PartyKind.RIGHTSHOLDER or holder.id not in account.acts_for:
        raise Forbidden(f"you cannot offer {holder.id}'s catalogue; only its members can")
    return holder.id
