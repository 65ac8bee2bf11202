"""Record consent and report a work's effective consent for a developer and use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.workspace import LOCAL_ACTOR, Workspace
from consentry.domain import Consent, ConsentState, Licence, Mandate, Party, Use, Work
from consentry.errors import InvalidInput
from consentry.evidence import events
from consentry.registry import WorkDecision, decide_work
from consentry.store import Registry


@dataclass(frozen=True)
class ConsentReport:
    """A work, its parties, its consent history and the decision for one request."""

    work: Work
    parties: dict[str, Party]
    consents: list[Consent]
    licences: list[Licence]
    decision: WorkDecision
    developer: Party | None
    use: Use
    at: datetime


def set_consent(
    ws: Workspace,
    work_id: str,
    party_ref: str,
    use: Use,
    state: ConsentState,
    *,
    recorded_by: str | None = None,
    mandate_id: str | None = None,
    evidence: str | None = None,
    expires_at: datetime | None = None,
    expected_version: int | None = None,
) -> int:
    """Record ``party``'s answer for ``use`` on a work; returns the work's new consent version.

    Only a party of the work may be recorded, on its own authority or through a
    mandate that authorises the recorder for that creator and use. A concurrent
    change to the same work's consent raises ``ConflictError``; nothing is lost.
    """
    at = ws.now()
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        party = find_party(registry, party_ref)
        if party.id not in work.party_ids:
            raise InvalidInput(
                f"{party.name} ({party.id}) is not a creator or rightsholder of {work.id}",
                hint=f"see `consentry works show {work.id}` for its parties",
            )
        recorder = _check_authority(registry, party, recorded_by, mandate_id, use, at)
        consent = Consent(
            party_id=party.id,
            subject_id=work.id,
            use=use,
            state=state,
            recorded_at=at,
            recorded_by=recorder,
            mandate_id=mandate_id,
            evidence=evidence,
            expires_at=expires_at,
        )
        version = registry.record_consent(consent, expected_version=expected_version)
        record(ws, registry, events.consent_set(consent, version))
        return version


def _check_authority(
    registry: Registry,
    party: Party,
    recorded_by: str | None,
    mandate_id: str | None,
    use: Use,
    at: datetime,
) -> str:
    if mandate_id is None:
        return recorded_by or party.id
    mandate: Mandate = registry.get_mandate(mandate_id)
    if not mandate.authorises(party.id, use, at):
        raise InvalidInput(
            f"mandate {mandate_id} does not authorise answers for {party.id} on {use}",
            hint="record the consent as the creator, or extend the mandate",
        )
    return recorded_by or mandate.agent_id or LOCAL_ACTOR


def consent_report(
    ws: Workspace,
    work_id: str,
    *,
    developer_ref: str | None = None,
    use: Use = Use.AI_TRAINING,
    at: datetime | None = None,
    model: str | None = None,
    territory: str | None = None,
) -> ConsentReport:
    """Each party's standing and the decision table's outcome for one request."""
    when = at or ws.now()
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        developer = find_party(registry, developer_ref) if developer_ref else None
        consents = registry.consents_for(work.id)
        licences = registry.licences_for_works([work.id]).get(work.id, [])
        mandates = registry.mandates_for_creators(work.creator_ids)
        parties = {pid: registry.get_party(pid) for pid in work.party_ids}
    decision = decide_work(
        work,
        consents=consents,
        licences=licences,
        mandates=mandates,
        developer_id=developer.id if developer else None,
        use=use,
        at=when,
        model=model,
        territory=territory,
    )
    return ConsentReport(work, parties, consents, licences, decision, developer, use, when)
