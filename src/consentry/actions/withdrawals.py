"""Withdrawal of consent for future uses, and renewal of licences at their term end.

A party withdraws consent for uses of a work from an effective date (now or
later): a ``withheld`` consent in force from that date, so every later scan
excludes the work whatever licence exists (withheld wins). consentry lists the
dataset versions that may hold the work (scans by a developer whose licence
covered it at the scan's as-of date) and the model versions trained on them,
for the removal flow to act on. Licences end at their term; a renewal is a new
request for the same works and terms from the old end, answered by every party.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from consentry.actions.log import record
from consentry.actions.parties import find_party
from consentry.actions.requests import CreatedRequest, create_request
from consentry.actions.workspace import Workspace
from consentry.domain import Consent, ConsentState, Licence, Use
from consentry.errors import InvalidInput
from consentry.evidence import events_requests
from consentry.licensing.types import Terms
from consentry.provenance import DatasetVersion, ModelVersion
from consentry.store import Registry

PAST_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal as recorded, and what the removal flow must look at."""

    party_id: str
    work_id: str
    uses: frozenset[Use]
    effective_at: datetime
    datasets: list[DatasetVersion]
    models: list[ModelVersion]


def withdraw_consent(
    ws: Workspace,
    work_id: str,
    party_ref: str,
    uses: Sequence[Use],
    *,
    effective_at: datetime | None = None,
) -> Withdrawal:
    """Record ``party``'s withdrawal for ``uses`` of a work from ``effective_at`` (default now)."""
    now = ws.now()
    effective = effective_at or now
    if not uses:
        raise InvalidInput("name at least one use to withdraw")
    if effective < now - PAST_TOLERANCE:
        raise InvalidInput(
            "a withdrawal is for future uses; its effective date cannot be in the past",
            hint="past uses are settled or removed through the removal flow",
        )
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        party = find_party(registry, party_ref)
        if party.id not in work.party_ids:
            raise InvalidInput(f"{party.id} is not a creator or rightsholder of {work.id}")
        for use in dict.fromkeys(uses):
            consent = Consent(
                party.id,
                work.id,
                use,
                ConsentState.WITHHELD,
                effective,
                party.id,
                evidence="withdrawn for future uses",
            )
            registry.record_consent(consent)
        licences = registry.licences_for_works([work.id]).get(work.id, [])
        datasets = affected_datasets(registry, work.id, frozenset(uses), licences)
        models = affected_models(registry, {d.id for d in datasets})
        entry = events_requests.consent_withdrawn(
            party.id, work.id, uses, effective, [d.id for d in datasets], [m.id for m in models]
        )
        record(ws, registry, entry)
    return Withdrawal(party.id, work.id, frozenset(uses), effective, datasets, models)


def affected_datasets(
    registry: Registry, work_id: str, uses: frozenset[Use], licences: Sequence[Licence]
) -> list[DatasetVersion]:
    """Dataset versions that may include the work: a licence covered it at their as-of date."""
    found = []
    for dataset in registry.list_dataset_versions():
        params = json.loads(dataset.params_json)
        use = Use(dataset.use)
        if dataset.developer_id is None or not any(use in u.related() for u in uses):
            continue
        if any(
            lic.covers(
                work_id=work_id,
                developer_id=dataset.developer_id,
                use=use,
                at=dataset.as_of,
                model=params.get("model"),
                territory=params.get("territory"),
            )
            for lic in licences
        ):
            found.append(dataset)
    return found


def affected_models(registry: Registry, dataset_ids: set[str]) -> list[ModelVersion]:
    """Model versions trained on any of these dataset versions."""
    return [
        model
        for model in registry.list_model_versions()
        if any(t.dataset_version_id in dataset_ids for t in registry.trainings_of(model.id))
    ]


def renew_licence(
    ws: Workspace, licence_id: str, ends_at: datetime, *, answer_by: datetime | None = None
) -> CreatedRequest:
    """Ask every party again for the licence's works and terms, from its end to ``ends_at``."""
    with ws.transaction() as registry:
        licence = registry.get_licence(licence_id)
    if licence.ends_at is None:
        raise InvalidInput(f"licence {licence_id} has no end; it needs no renewal")
    if ends_at <= licence.ends_at:
        raise InvalidInput(f"the renewal must end after {licence.ends_at.isoformat()}")
    terms = Terms(
        uses=licence.uses,
        starts_at=licence.ends_at,
        ends_at=ends_at,
        models=licence.models,
        territories=licence.territories,
        purpose=f"renewal of {licence.id}",
        fee_terms=licence.fee_terms,
    )
    return create_request(
        ws,
        licence.licensee_id,
        terms,
        work_ids=sorted(licence.work_ids),
        answer_by=answer_by,
        renews=licence.id,
    )
