"""The registry's match index: where it lives, and keeping it in step with the registry.

The index is derived data: it is rebuilt from the registry's stored near-copy
fingerprints whenever it is missing, unreadable or out of step, and otherwise
caught up incrementally with what was registered since it was saved. For a
SQLite registry it lives beside the database file (``consentry.db.index``);
``$CONSENTRY_INDEX_DIR`` puts it elsewhere (the only choice for PostgreSQL,
whose default is ``./consentry-index``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from consentry.actions.workspace import Workspace
from consentry.config import index_dir_override
from consentry.errors import InvalidInput, NotFound
from consentry.fingerprint.near import NearFingerprint
from consentry.matching.works_index import WorksIndex
from consentry.store import Registry
from consentry.store.near import NearState

Progress = Callable[[int, int], None]


def index_path(ws: Workspace) -> Path:
    """The folder holding ``ws``'s match index."""
    override = index_dir_override()
    if override:
        return Path(override)
    return ws.beside_database(".index", "consentry-index")


def refresh_index(
    ws: Workspace, *, rebuild: bool = False, progress: Progress | None = None
) -> WorksIndex:
    """The match index, brought up to date with the registry (and saved when it changed)."""
    path = index_path(ws)
    saved = None if rebuild else _load(path)
    with ws.transaction() as registry:
        stored = registry.near_state()
        index = saved if saved is not None and _in_step(registry, saved, stored) else None
        if index is not None and index.state.last_seq == stored.last_seq:
            return index
        index = index or WorksIndex()
        done = index.state.count
        for row in registry.near_fingerprints_after(index.state.last_seq):
            index.add(
                row.seq, row.work_id, NearFingerprint(row.scheme, row.data), row.content_sha256
            )
            done += 1
            if progress is not None:
                progress(done, stored.count)
    index.save(path)
    return index


def _load(path: Path) -> WorksIndex | None:
    try:
        return WorksIndex.load(path)
    except (NotFound, InvalidInput):
        return None


def _in_step(registry: Registry, index: WorksIndex, stored: NearState) -> bool:
    """True when the index holds a prefix of the registry's fingerprints."""
    state = index.state
    if state.count > stored.count or state.last_seq > stored.last_seq:
        return False
    return state.last_seq == 0 or registry.near_work_at(state.last_seq) == state.last_work_id
