"""A party's works as the portal lists them: each use's answer, and the assurance gaps.

For a creator: what it answered for each use on each of its works. For a
rightsholder: its catalogue, and for each work the creators who have not
(yet) granted a use, so that it knows whose consent a licence would still
lack (DESIGN's demand 3: assurance that each creator consented). The answers
come from the same rules the scan uses (:func:`consentry.registry.effective_consent`).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consentry.actions.works import import_works
from consentry.actions.workspace import Workspace
from consentry.domain import ConsentState, Party, Use, Work, WorkKind
from consentry.errors import InvalidInput
from consentry.registry import PartyStanding, effective_consent

USES: tuple[Use, ...] = tuple(Use)


@dataclass(frozen=True)
class WorkRow:
    """A work, the asking party's standing per use, and creators not granting ``use``."""

    work: Work
    standing: Mapping[Use, PartyStanding]
    not_granted: tuple[Party, ...]


@dataclass(frozen=True)
class WorkConsent:
    """One work's parties and every party's standing for every use."""

    work: Work
    parties: Mapping[str, Party]
    standing: Mapping[str, Mapping[Use, PartyStanding]]


def party_works(ws: Workspace, party_id: str, *, use: Use = Use.AI_TRAINING) -> list[WorkRow]:
    """The works ``party_id`` is a creator or rightsholder of, in id order."""
    at = ws.now()
    with ws.transaction() as registry:
        works = registry.list_works(party_id=party_id)
        ids = [w.id for w in works]
        consents = registry.consents_for_works(ids)
        mandates = registry.mandates_for_creators({c for w in works for c in w.creator_ids})
        parties = {p.id: p for p in registry.list_parties()}
    rows: list[WorkRow] = []
    for work in works:
        records = consents.get(work.id, [])
        own = {u: effective_consent(work, party_id, u, at, records, mandates) for u in USES}
        lacking = tuple(
            parties[c]
            for c in work.creator_ids
            if effective_consent(work, c, use, at, records, mandates).state
            is not ConsentState.GRANTED
        )
        rows.append(WorkRow(work, own, lacking))
    return rows


def work_consent(ws: Workspace, work_id: str) -> WorkConsent:
    """Every party of a work and its standing for every use, now."""
    at = ws.now()
    with ws.transaction() as registry:
        work = registry.get_work(work_id)
        records = registry.consents_for(work.id)
        mandates = registry.mandates_for_creators(work.creator_ids)
        parties = {pid: registry.get_party(pid) for pid in work.party_ids}
    standing = {
        pid: {u: effective_consent(work, pid, u, at, records, mandates) for u in USES}
        for pid in work.party_ids
    }
    return WorkConsent(work, parties, standing)


def register_unseen(
    ws: Workspace,
    *,
    title: str,
    kind: WorkKind,
    fingerprints: Mapping[str, Any],
    creator: Party,
    role: str = "author",
) -> Work:
    """Register a work by its fingerprints only (it is never uploaded), as an import row.

    The row goes through the works import (:func:`import_works`), so it is
    checked exactly as a catalogue line is: malformed fingerprints are refused
    with the reason and nothing is stored.
    """
    if not isinstance(fingerprints, Mapping):
        raise InvalidInput(
            "the fingerprints must be a JSON object, as `consentry fingerprint` prints"
        )
    row = {
        "title": title,
        "kind": kind.value,
        "fingerprints": dict(fingerprints),
        "creators": [{"id": creator.id, "name": creator.name, "role": role}],
    }
    with tempfile.TemporaryDirectory(prefix="consentry-unseen-") as folder:
        listing = Path(folder) / "work.jsonl"
        listing.write_text(json.dumps(row) + "\n", encoding="utf-8")
        report = import_works(ws, listing, recorded_by=creator.id)
    return report.works[0]
