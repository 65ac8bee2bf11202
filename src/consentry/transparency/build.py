"""The model report as data: one JSON document every other format is rendered from.

:func:`build_report` turns a :class:`ReportInput` into the dictionary that
``report.json`` holds (schema: ``schemas/model-report.json``). The HTML page,
the EU training-content summary, SPDX, CycloneDX and Croissant all read this
dictionary and nothing else, so they cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from consentry.domain import Work
from consentry.evidence.commitment import Commitment
from consentry.ledger.usage import WorkUsage
from consentry.transparency.inputs import DatasetInput, ItemFacts, ReportInput
from consentry.transparency.sources import licence_key, source_key, top_domains

SCHEMA_ID = "https://consentry.org/schemas/model-report/1"


def build_report(given: ReportInput) -> dict[str, Any]:
    """The report for one model version (see ``docs/reports.md`` for every field)."""
    used = [(d, item) for d in given.datasets for item in d.used()]
    model = given.model
    developer = given.developer
    return {
        "$schema": SCHEMA_ID,
        "generated_at": given.generated_at.isoformat(),
        "model": {
            "id": model.id,
            "name": model.name,
            "version": model.version,
            "created_at": model.created_at.isoformat(),
            "developer": None
            if developer is None
            else {"id": developer.id, "name": developer.name},
        },
        "regimes": sorted({d.version.regime for d in given.datasets}),
        "training_set": _training_set(given.datasets, [item for _, item in used]),
        "datasets": [_dataset(d) for d in given.datasets],
        "works": _works(given, [item for _, item in used]),
        "counts": _counts(used),
        "sizes": _sizes([item for _, item in used]),
        "excluded": _excluded(given.datasets),
        "removals": _removals(given, {w for _, i in used for w in i.work_ids}),
        "domains": _domains([item for _, item in used], given.answers.flag("provider", "sme")),
        "log": [
            {"position": e.position, "type": e.type, "fields": dict(e.fields)} for e in given.log
        ],
    }


def _training_set(datasets: Iterable[DatasetInput], items: list[ItemFacts]) -> dict[str, Any]:
    hashes = [h for i in items for h in (i.sha256, i.content_sha256) if h]
    commitment = Commitment.of(hashes)
    return {
        "root": commitment.root.hex(),
        "size": len(commitment),
        "items": len(items),
        "bytes": _total(i.size for i in items),
        "datasets": [d.version.id for d in datasets],
    }


def _total(sizes: Iterable[int | None]) -> int | None:
    """The sum of sizes, or None when any is unknown."""
    total = 0
    for size in sizes:
        if size is None:
            return None
        total += size
    return total


def _dataset(d: DatasetInput) -> dict[str, Any]:
    v = d.version
    used = list(d.used())
    return {
        "id": v.id,
        "corpus": v.corpus,
        "format": v.format,
        "use": v.use,
        "regime": v.regime,
        "signals": d.signals,
        "as_of": v.as_of.isoformat(),
        "created_at": v.created_at.isoformat(),
        "items": v.items,
        "included": v.included,
        "excluded": v.excluded,
        "manifest_sha256": v.manifest_sha256,
        "root": d.root,
        "log_position": d.log_position,
        "used": d.training.used.value,
        "epochs": d.training.epochs,
        "trained_at": d.training.recorded_at.isoformat(),
        "items_used": len(used),
        "bytes_used": _total(i.size for i in used),
        "kinds": sorted({i.kind for i in used if i.kind}),
    }


def _works(given: ReportInput, items: list[ItemFacts]) -> list[dict[str, Any]]:
    per_work: dict[str, list[ItemFacts]] = {}
    for item in items:
        for work_id in item.work_ids:
            per_work.setdefault(work_id, []).append(item)
    usage = _per_work(given.usage or ())
    ids = sorted(set(per_work) | set(usage))
    return [
        _work(given, given.works.get(wid), wid, per_work.get(wid, []), usage.get(wid))
        for wid in ids
    ]


def _per_work(usages: Iterable[WorkUsage]) -> dict[str, dict[str, Any]]:
    """The ledger's rows (one per training and work) summed per work."""
    found: dict[str, dict[str, Any]] = {}
    for u in usages:
        t = found.setdefault(
            u.work_id, {"items": 0, "bytes": 0, "tokens": 0, "seconds": 0, "images": 0}
        )
        for key in t:
            t[key] += getattr(u, key)
        t["past_use"] = t.get("past_use", False) or u.past_use
    for t in found.values():
        t["seconds"] = str(t["seconds"])
    return found


def _work(
    given: ReportInput,
    work: Work | None,
    work_id: str,
    items: list[ItemFacts],
    use: dict[str, Any] | None,
) -> dict[str, Any]:
    licence_ids = sorted({i.licence_id for i in items if i.licence_id})
    return {
        "work_id": work_id,
        "title": work.title if work else None,
        "kind": work.kind.value if work else None,
        "identifiers": {k: list(v) for k, v in sorted(work.identifiers.items())} if work else {},
        "creators": [_party(given, c.party_id, c.role.value, c.share) for c in work.contributions]
        if work
        else [],
        "rightsholders": [_party(given, r.party_id, None, r.share) for r in work.rights]
        if work
        else [],
        "licences": [_licence(given, lid) for lid in licence_ids],
        "items": len(items),
        "unlicensed_items": sum(1 for i in items if not i.included),
        "usage": use,
    }


def _party(given: ReportInput, party_id: str, role: str | None, share: Any) -> dict[str, Any]:
    party = given.parties.get(party_id)
    found = {
        "party_id": party_id,
        "name": party.name if party else None,
        "share": None if share is None else str(share),
        "isni": party.isni if party else None,
        "ipi": party.ipi if party else None,
        "orcid": party.orcid if party else None,
    }
    return found | ({"role": role} if role is not None else {})


def _licence(given: ReportInput, licence_id: str) -> dict[str, Any]:
    licence = given.licences.get(licence_id)
    if licence is None:
        return {"id": licence_id, "uses": [], "starts_at": None, "ends_at": None}
    return {
        "id": licence.id,
        "uses": sorted(u.value for u in licence.uses),
        "starts_at": licence.starts_at.isoformat(),
        "ends_at": None if licence.ends_at is None else licence.ends_at.isoformat(),
    }


def _counts(used: list[tuple[DatasetInput, ItemFacts]]) -> dict[str, Any]:
    return {
        "items_used": len(used),
        "by_kind": _sorted(Counter(i.kind or "unknown" for _, i in used)),
        "by_source": _sorted(Counter(source_key(i.source, d.version.corpus) for d, i in used)),
        "by_licence": _sorted(Counter(licence_key(i) for _, i in used)),
    }


def _sizes(items: list[ItemFacts]) -> dict[str, Any]:
    """Per modality: items, bytes, tokens (text) and seconds (audio), None when unmeasured."""
    found: dict[str, Any] = {}
    for kind in sorted({i.kind for i in items if i.kind}):
        mine = [i for i in items if i.kind == kind]
        seconds = [i.seconds for i in mine]
        found[kind] = {
            "items": len(mine),
            "bytes": _total(i.size for i in mine),
            "tokens": _total(i.tokens for i in mine) if kind == "text" else None,
            "seconds": None
            if kind != "audio" or any(s is None for s in seconds)
            else str(sum(s for s in seconds if s is not None)),
        }
    return found


def _sorted(counter: Counter[str]) -> dict[str, int]:
    """Counts, largest first, then by name: a stable order for every renderer."""
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _domains(items: list[ItemFacts], sme: bool | None) -> dict[str, Any]:
    found = top_domains(items, sme=bool(sme))
    return {
        "measure": found.measure,
        "share": found.share,
        "total": found.total_domains,
        "top": [{"domain": d, "size": size} for d, size in found.domains],
    }


def _excluded(datasets: Iterable[DatasetInput]) -> dict[str, Any]:
    codes: Counter[str] = Counter()
    details: Counter[str] = Counter()
    items = used_anyway = 0
    for d in datasets:
        everything = d.training.used.value == "all"
        for item in d.items:
            if item.included:
                continue
            items += 1
            used_anyway += everything
            codes[item.reasons[0].split(":", 1)[0] if item.reasons else "error"] += 1
            details.update(set(item.reasons))
    return {
        "items": items,
        "used_anyway": used_anyway,
        "by_reason": _sorted(codes),
        "by_detail": _sorted(details),
    }


def _removals(given: ReportInput, now_used: set[str]) -> dict[str, Any]:
    previous = given.previous
    if previous is None:
        return {"previous_version": None, "previous_model_version_id": None, "works": []}
    gone = sorted(previous.work_ids - now_used)
    if given.usage is not None:
        gone = sorted(set(gone) - {u.work_id for u in given.usage})
    return {
        "previous_version": previous.model.version,
        "previous_model_version_id": previous.model.id,
        "works": [
            {
                "work_id": wid,
                "title": given.works[wid].title if wid in given.works else None,
                "log_positions": [
                    e.position
                    for e in given.log
                    if e.type.startswith("removal.") and e.fields.get("work") == wid
                ],
            }
            for wid in gone
        ],
    }
