"""Inference-time use: works retrieved or used as input to answer requests, with their credits.

:func:`record_inference_uses` records many answers in one unit of work, with
one log entry and one multi-row insert, so a service can call it per answer
or buffer answers and call it once per batch. Each answer's distinct works
count one use each. Every work must exist (else nothing is recorded). A use
no licence for ``ai_inference`` covers is a past use, like unlicensed training.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from consentry.actions.ids import new_id
from consentry.actions.ledger_rules import ensure_open, licence_for
from consentry.actions.log import record
from consentry.actions.workspace import Workspace
from consentry.domain import Use
from consentry.errors import InvalidInput, NotFound
from consentry.evidence import events_ledger
from consentry.ledger.credits import WorkCredits, work_credits
from consentry.ledger.records import Batch, UseKind, UseRecord
from consentry.ledger.usage import WorkUsage
from consentry.store import Registry
from consentry.store.ledger import LedgerUseStore


def credits_for(registry: Registry, work_ids: Sequence[str]) -> dict[str, WorkCredits]:
    """Each named work's credits; NotFound naming the works that do not exist."""
    wanted = sorted(set(work_ids))
    works = {w.id: w for w in registry.get_works(wanted)}
    missing = [w for w in wanted if w not in works]
    if missing:
        raise NotFound(f"no works {', '.join(missing[:10])}", hint="see `consentry works list`")
    party_ids = {c.party_id for w in works.values() for c in w.contributions}
    parties = {p: registry.get_party(p) for p in sorted(party_ids)}
    return {w: work_credits(works[w], parties) for w in wanted}


def record_inference_uses(
    ws: Workspace,
    model_version_id: str,
    answers: Sequence[Sequence[str]],
    *,
    at: datetime | None = None,
) -> list[list[WorkCredits]]:
    """Record that each answer used its works; returns each answer's credits, in its order."""
    if not answers or any(not a for a in answers):
        raise InvalidInput("each answer must name at least one work")
    used_at = at or ws.now()
    counts = Counter(w for answer in answers for w in dict.fromkeys(answer))
    with ws.transaction() as registry:
        ensure_open(registry, used_at)
        store = LedgerUseStore(registry.conn)
        model = store.get_model_version(model_version_id)
        credits = credits_for(registry, list(counts))
        licences = licence_for(
            registry,
            counts,
            developer_id=model.developer_id,
            use=Use.AI_INFERENCE,
            at=used_at,
            model=model.name,
            territory=None,
        )
        batch_id = new_id("lb")
        entry = events_ledger.inference_recorded(
            batch_id, model.id, used_at, counts, sum(counts.values())
        )
        position = record(ws, registry, entry)
        batch = Batch(batch_id, UseKind.INFERENCE, model.id, used_at, position, ws.now())
        uses = [
            UseRecord(
                batch,
                WorkUsage(w, 0, 0, 0, Decimal(0), 0, 1, None, licences.get(w), w not in licences),
                n,
            )
            for w, n in sorted(counts.items())
        ]
        store.add_batch(batch, uses)
    return [[credits[w] for w in dict.fromkeys(answer)] for answer in answers]


def record_inference_use(
    ws: Workspace, model_version_id: str, work_ids: Sequence[str], *, at: datetime | None = None
) -> list[WorkCredits]:
    """Record one answer's use of ``work_ids``; returns their credits (demand 5)."""
    return record_inference_uses(ws, model_version_id, [work_ids], at=at)[0]
