"""Which registered works a file holds: exact hashes, then near copies from the index."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from consentry.actions.index import refresh_index
from consentry.actions.workspace import Workspace
from consentry.domain import Fingerprints, WorkKind
from consentry.errors import UnreadableContent
from consentry.matching import Match, MatchKind, MatchResult
from consentry.matching.types import strongest_per_work
from consentry.matching.works_index import WorksIndex
from consentry.scan.facts import search_content
from consentry.store import Registry

MAX_FILE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FileMatches:
    """The registered works found in one file, or why it could not be searched."""

    path: Path
    kind: WorkKind | None
    result: MatchResult
    titles: Mapping[str, str] = field(default_factory=dict)


def match_files(ws: Workspace, paths: Iterable[Path]) -> list[FileMatches]:
    """Search every file in ``paths`` against the registry (the index is refreshed first)."""
    index = refresh_index(ws)
    found = []
    with ws.transaction() as registry:
        for path in paths:
            kind, result = _search(registry, index, path)
            titles = {m.work_id: registry.get_work(m.work_id).title for m in result.matches}
            found.append(FileMatches(path, kind, result, titles))
    return found


def _search(
    registry: Registry, index: WorksIndex, path: Path
) -> tuple[WorkKind | None, MatchResult]:
    try:
        kind, near, prints = search_content(_read(path), None, index)
    except UnreadableContent as exc:
        why = exc.message.removeprefix("unreadable:")
        return None, MatchResult((), refused=f"unreadable:{why}")
    exact = _exact(registry, prints)
    if near is None:
        refused = None if exact else f"unsupported: no near-copy matching for {kind} yet"
        return kind, MatchResult(strongest_per_work(exact), refused=refused)
    matches = strongest_per_work([*exact, *near.matches])
    return kind, MatchResult(matches, refused=None if matches else near.refused)


def _read(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableContent(f"too_large: {size:,} bytes (limit {MAX_FILE_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableContent(f"io: {exc.strerror or exc}") from exc
    if not data:
        raise UnreadableContent("empty: the file has no bytes")
    return data


def _exact(registry: Registry, prints: Fingerprints) -> list[Match]:
    matches = [
        Match(work_id, MatchKind.EXACT, 1.0, {"sha256": prints.sha256})
        for work_id in registry.find_works_by_fingerprint(prints.sha256 or "")
    ]
    if prints.content_sha256:
        matches += [
            Match(work_id, MatchKind.EXACT, 1.0, {prints.norm or "content": prints.content_sha256})
            for work_id in registry.find_works_by_fingerprint(prints.content_sha256)
        ]
    return matches
