"""Who may do what in the service: the authorisation rules, in one place.

- Only a work's own parties (or an agent holding a mandate from its creator)
  change its consent, grant or revoke licences for it, or answer about it.
- A developer sees and changes only its own scans, models, datasets and
  licences.
- Administrators manage parties and decide claims; they do not speak for a
  work's parties (nobody consents on a creator's behalf without a mandate).

Each check raises :class:`~consentry.errors.Forbidden` and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from consentry.actions.accounts import Account, AccountKind
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import Licence, Work
from consentry.errors import Forbidden, InvalidInput
from consentry.store import Registry


def require_kind(account: Account, *kinds: AccountKind) -> None:
    """Forbidden unless the account is one of ``kinds``."""
    if account.kind not in {k.value for k in kinds}:
        allowed = " or ".join(k.value for k in kinds)
        raise Forbidden(f"only a {allowed} account can do this; yours is a {account.kind} account")


def require_admin(account: Account) -> None:
    """Forbidden unless the account is an administrator."""
    require_kind(account, AccountKind.ADMINISTRATOR)


def developer_party(account: Account) -> str:
    """The developer party the account acts for (Forbidden for any other kind)."""
    require_kind(account, AccountKind.DEVELOPER)
    if account.party_id is None:
        raise Forbidden("this developer account has no party")
    return account.party_id


def _holds_part(account: Account, work: Work) -> bool:
    return bool(account.acts_for & set(work.party_ids))


def require_work_party(ws: Workspace, account: Account, work_ids: Iterable[str]) -> list[Work]:
    """The works, when the account acts for a party of each of them."""
    with ws.transaction() as registry:
        works = [registry.get_work(w) for w in dict.fromkeys(work_ids)]
    for work in works:
        if not _holds_part(account, work):
            raise Forbidden(f"you are not a creator or rightsholder of {work.id}")
    return works


def may_see_work_consent(ws: Workspace, account: Account, work_id: str) -> None:
    """A work's parties, the agents of its creators, developers and admins may see it."""
    if account.is_admin or account.kind == AccountKind.DEVELOPER:
        return
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        if _holds_part(account, work) or _agent_for(registry, account, work):
            return
    raise Forbidden(f"you are not a creator or rightsholder of {work_id}")


def _agent_for(registry: Registry, account: Account, work: Work) -> bool:
    mandates = registry.mandates_for_creators(work.creator_ids)
    return any(m.agent_id == account.party_id and m.revoked_at is None for m in mandates)


def may_set_consent(
    ws: Workspace, account: Account, work_id: str, party_ref: str, mandate_id: str | None
) -> None:
    """The account answers as the party itself, or as the agent of the mandate it names."""
    with ws.transaction() as registry:
        registry.get_work(work_id)
        party = find_party(registry, party_ref)
        if mandate_id is None:
            if party.id not in account.acts_for:
                raise Forbidden(f"you cannot answer for {party.id}; only that party can")
            return
        mandate = registry.get_mandate(mandate_id)
    if mandate.agent_id != account.party_id:
        raise Forbidden(f"mandate {mandate_id} was not given to you")


def may_grant_licence(
    ws: Workspace, account: Account, work_ids: Sequence[str], granted_by: Sequence[str]
) -> None:
    """Every grantor is a party the account acts for, and every work is one of theirs."""
    with ws.transaction() as registry:
        grantors = {find_party(registry, ref).id for ref in granted_by}
    if not grantors or not grantors <= account.acts_for:
        raise Forbidden("you can grant a licence only as yourself (granted_by: your party)")
    require_work_party(ws, account, work_ids)


def may_revoke_licence(ws: Workspace, account: Account, licence_id: str) -> None:
    """One of the licence's grantors, or a party of one of its works, may revoke it."""
    with ws.transaction() as registry:
        licence = registry.get_licence(licence_id)
        works = registry.get_works(sorted(licence.work_ids))
    grantors = {g.party_id for g in licence.grants}
    if account.acts_for & grantors or any(_holds_part(account, w) for w in works):
        return
    raise Forbidden(f"you are not a party to licence {licence_id}")


def visible_licences(ws: Workspace, account: Account, licences: list[Licence]) -> list[Licence]:
    """A developer sees its own licences; parties those on their works; admins all."""
    if account.is_admin:
        return licences
    if account.kind == AccountKind.DEVELOPER:
        return [lic for lic in licences if lic.licensee_id == account.party_id]
    with ws.transaction() as registry:
        mine = {w.id for p in sorted(account.acts_for) for w in registry.list_works(party_id=p)}
    return [lic for lic in licences if lic.work_ids & mine]


def may_give_mandate(account: Account, creator_refs: Sequence[str], ws: Workspace) -> None:
    """Only the creators themselves give a mandate."""
    with ws.transaction() as registry:
        creators = {find_party(registry, ref).id for ref in creator_refs}
    if not creators <= account.acts_for:
        raise Forbidden("a mandate is given by the creators themselves")


def may_revoke_mandate(ws: Workspace, account: Account, mandate_id: str) -> None:
    """A creator of the mandate or its agent may end it."""
    with ws.transaction() as registry:
        mandate = registry.get_mandate(mandate_id)
    if account.acts_for & (mandate.creator_ids | {mandate.agent_id}):
        return
    raise Forbidden(f"mandate {mandate_id} is not yours")


def may_register(account: Account, rows: Iterable[dict[str, object]]) -> None:
    """A creator or rightsholder registers only works naming itself among their parties.

    Nobody else, administrators included, registers a work in a party's name.
    """
    require_kind(account, AccountKind.CREATOR, AccountKind.RIGHTSHOLDER)
    for number, row in enumerate(rows, start=1):
        named = {
            str(p.get("id"))
            for group in ("creators", "rightsholders")
            for p in _dicts(row.get(group))
        }
        if not named & account.acts_for:
            raise Forbidden(
                f"work {number} does not name you among its creators or rightsholders",
                hint=f"add {{'id': '{account.party_id}', ...}} to its creators or rightsholders",
            )


def _dicts(value: object) -> list[dict[str, object]]:
    if isinstance(value, str):  # CSV cells hold JSON text
        import json

        try:
            value = json.loads(value)
        except ValueError:
            raise InvalidInput("creators and rightsholders must be JSON lists") from None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
