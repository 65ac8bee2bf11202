"""Grant, list and revoke licences (the minimal form; requests come later).

A licence names the developer, the works, the uses and the term. The parties
named with ``granted_by`` record their agreement to it for each work they hold
a part in; any other party of a work must have a standing ``granted`` consent,
or the licence does not cover that work (``unassured``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from consentry.actions.ids import new_id
from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import Workspace
from consentry.domain import FeeTerms, Licence, LicenceGrant, PartyKind, Use
from consentry.errors import InvalidInput
from consentry.evidence import events


def grant_licence(
    ws: Workspace,
    developer_ref: str,
    work_ids: Sequence[str],
    uses: Sequence[Use],
    *,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    models: Sequence[str] = (),
    territories: Sequence[str] = (),
    fee_terms: FeeTerms | None = None,
    granted_by: Sequence[str] = (),
) -> Licence:
    """Record a licence to a developer, with the grants of the named parties."""
    if not work_ids or not uses:
        raise InvalidInput("a licence needs at least one work and one use")
    start = starts_at or ws.now()
    if ends_at is not None and ends_at <= start:
        raise InvalidInput("the licence ends before it starts")
    with ws.transaction() as registry:
        developer = find_party(registry, developer_ref)
        if developer.kind is not PartyKind.DEVELOPER:
            raise InvalidInput(f"{developer.name} is a {developer.kind}, not a developer")
        works = [registry.get_work(w) for w in dict.fromkeys(work_ids)]
        grantors = [find_party(registry, ref) for ref in granted_by]
        for party in grantors:
            if not any(party.id in work.party_ids for work in works):
                raise InvalidInput(
                    f"{party.name} ({party.id}) is not a creator or rightsholder of these works",
                    hint="only a work's own parties can grant a licence for it",
                )
        grants = tuple(
            LicenceGrant(work.id, party.id, start)
            for work in works
            for party in grantors
            if party.id in work.party_ids
        )
        licence = Licence(
            id=new_id("lic"),
            licensee_id=developer.id,
            work_ids=frozenset(w.id for w in works),
            uses=frozenset(uses),
            starts_at=start,
            ends_at=ends_at,
            models=frozenset(models),
            territories=frozenset(territories),
            fee_terms=fee_terms,
            grants=grants,
        )
        registry.add_licence(licence)
        record(ws, registry, events.licence_granted(licence))
    return licence


def list_licences(
    ws: Workspace, *, developer_ref: str | None = None, work_id: str | None = None
) -> list[Licence]:
    """Licences, optionally for one developer or one work."""
    with ws.transaction() as registry:
        licensee = find_party(registry, developer_ref).id if developer_ref else None
        return registry.list_licences(licensee_id=licensee, work_id=work_id)


def revoke_licence(ws: Workspace, licence_id: str) -> Licence:
    """Revoke a licence from now on; past uses under it stay licensed."""
    at = ws.now()
    with ws.transaction() as registry:
        registry.revoke_licence(licence_id, at)
        record(ws, registry, events.licence_revoked(licence_id, at))
        return registry.get_licence(licence_id)
