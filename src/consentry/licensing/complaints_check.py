"""The check run when a complaint is filed: was the work in the data, and was it used?

Given the manifest rows of the dataset versions a complaint concerns and the
trainings recorded on them, :func:`check_use` finds every row that holds the
work (it decided on the work, matched it, carries one of its hashes or is an
item the complainant named) and says for each whether it was used:

- included under a licence: ``licensed`` use;
- included without one: ``unlicensed`` use;
- excluded, but a model version was trained on the whole corpus (``--used
  all``): ``unlicensed`` use, by those model versions;
- excluded, and trained on (if at all) only through the cleared data: ``excluded``.

Pure: it reads no files; the caller streams the manifests (checked against
the digests the registry holds) and passes their lines in.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from consentry.licensing.complaints import Complaint


class RowUse(StrEnum):
    """What happened to one manifest row that holds the work."""

    LICENSED = "licensed"
    UNLICENSED = "unlicensed"
    EXCLUDED = "excluded"


class Verdict(StrEnum):
    """The check's overall answer, the worst of its rows."""

    UNLICENSED_USE = "unlicensed_use"
    LICENSED_USE = "licensed_use"
    EXCLUDED = "excluded"
    NOT_FOUND = "not_found"
    UNCHECKED = "unchecked"


class EvidenceKind(StrEnum):
    """What a complainant shows: a file, a model's output, or a manifest row by item id."""

    FILE = "file"
    OUTPUT = "output"
    ITEM = "item"


@dataclass(frozen=True, slots=True)
class Evidence:
    """One piece of evidence as the registry keeps it: hashes and match results, no content.

    ``matches`` lists what a file or output matched in the registry, each as
    ``work_id:match:score``; ``holds_work`` says whether the complaint's work is
    among them (None for a manifest row named by ``item_id``).
    """

    kind: EvidenceKind
    sha256: str | None = None
    item_id: str | None = None
    matches: tuple[str, ...] = ()
    holds_work: bool | None = None


@dataclass(frozen=True, slots=True)
class TrainingRef:
    """A model version trained on a dataset version, on its cleared part or on ``all``."""

    model_version_id: str
    dataset_version_id: str
    used: str


@dataclass(frozen=True, slots=True)
class RowQuery:
    """What makes a manifest row relevant: the work, its hashes, the items named."""

    work_id: str
    hashes: frozenset[str] = frozenset()
    item_ids: frozenset[str] = frozenset()

    def wants(self, row: Mapping[str, Any]) -> bool:
        """True when ``row`` holds the work or was named as evidence."""
        if row.get("work_id") == self.work_id or row.get("item_id") in self.item_ids:
            return True
        matches = row.get("matches") or ()
        if any(isinstance(m, dict) and m.get("work_id") == self.work_id for m in matches):
            return True
        return bool({row.get("sha256"), row.get("content_sha256")} & self.hashes)


@dataclass(frozen=True, slots=True)
class RowFinding:
    """One manifest row holding the work; ``row_sha256`` commits to the line's bytes."""

    dataset_version_id: str
    row: int
    item_id: str
    decision: str
    reasons: tuple[str, ...]
    work_id: str | None
    match: str | None
    score: float | None
    licence_id: str | None
    row_sha256: str
    use: RowUse
    used_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UseCheck:
    """The verdict, the rows found, the datasets whose manifest was not given, the trainings."""

    verdict: Verdict
    rows: tuple[RowFinding, ...]
    unchecked: tuple[str, ...] = ()
    trainings: tuple[TrainingRef, ...] = ()

    def rows_sha256(self) -> str:
        """SHA-256 over the rows' own digests, in order: what the log commits to."""
        lines = "".join(f"{r.dataset_version_id}:{r.row}:{r.row_sha256}\n" for r in self.rows)
        return hashlib.sha256(lines.encode()).hexdigest()


def select_rows(
    lines: Iterable[bytes], query: RowQuery
) -> list[tuple[int, Mapping[str, Any], str]]:
    """The relevant rows of one manifest (JSONL lines): (0-based row, row, line SHA-256).

    Raises ValueError on a line that is not a JSON object.
    """
    found: list[tuple[int, Mapping[str, Any], str]] = []
    for number, line in enumerate(lines):
        row = json.loads(line)
        if not isinstance(row, dict):
            raise ValueError(f"row {number} is not a JSON object")
        if query.wants(row):
            found.append((number, row, hashlib.sha256(line.rstrip(b"\n")).hexdigest()))
    return found


def finding(
    dataset_version_id: str,
    number: int,
    row: Mapping[str, Any],
    row_sha256: str,
    trainings: Sequence[TrainingRef],
) -> RowFinding:
    """Classify one relevant row (see the module docstring)."""
    on_this = [t for t in trainings if t.dataset_version_id == dataset_version_id]
    included = row.get("decision") == "include"
    if included:
        used_by = tuple(sorted({t.model_version_id for t in on_this}))
        use = RowUse.LICENSED if row.get("licence_id") else RowUse.UNLICENSED
    else:
        used_by = tuple(sorted({t.model_version_id for t in on_this if t.used == "all"}))
        use = RowUse.UNLICENSED if used_by else RowUse.EXCLUDED
    score = row.get("score")
    return RowFinding(
        dataset_version_id=dataset_version_id,
        row=number,
        item_id=str(row.get("item_id")),
        decision=str(row.get("decision")),
        reasons=tuple(str(r) for r in row.get("reasons") or ()),
        work_id=row.get("work_id"),
        match=row.get("match"),
        score=float(score) if score is not None else None,
        licence_id=row.get("licence_id"),
        row_sha256=row_sha256,
        use=use,
        used_by=used_by,
    )


def verdict(rows: Collection[RowFinding], unchecked: Collection[str]) -> Verdict:
    """The worst use among ``rows``; ``unchecked`` when nothing could be read."""
    uses = {r.use for r in rows}
    if RowUse.UNLICENSED in uses:
        return Verdict.UNLICENSED_USE
    if RowUse.LICENSED in uses:
        return Verdict.LICENSED_USE
    if RowUse.EXCLUDED in uses:
        return Verdict.EXCLUDED
    return Verdict.UNCHECKED if unchecked else Verdict.NOT_FOUND


def check_use(
    found: Mapping[str, Sequence[tuple[int, Mapping[str, Any], str]] | None],
    trainings: Sequence[TrainingRef],
) -> UseCheck:
    """The check over each dataset version's relevant rows (None: manifest not available)."""
    rows = tuple(
        finding(dataset, number, row, digest, trainings)
        for dataset, selected in sorted(found.items())
        for number, row, digest in selected or ()
    )
    unchecked = tuple(sorted(d for d, selected in found.items() if selected is None))
    relevant = tuple(t for t in trainings if t.dataset_version_id in found)
    return UseCheck(verdict(rows, unchecked), rows, unchecked, relevant)


@dataclass(frozen=True, slots=True)
class ComplaintRecord:
    """A complaint with the evidence filed with it and the check made when it was filed."""

    complaint: Complaint
    evidence: tuple[Evidence, ...]
    check: UseCheck
