"""Fingerprint a file as ``consentry works import`` expects under ``fingerprints``."""

from __future__ import annotations

from pathlib import Path

from consentry.domain import WorkKind
from consentry.errors import NotFound
from consentry.fingerprint.work import WorkPrints, work_prints


def read_prints(path: Path, kind: WorkKind | None = None) -> WorkPrints:
    """Every fingerprint of the file at ``path``; NotFound or UnreadableContent otherwise."""
    try:
        data = path.read_bytes()
    except (FileNotFoundError, IsADirectoryError) as exc:
        raise NotFound(f"no file {path}") from exc
    return work_prints(data, kind)


def fingerprint_file(path: Path, kind: WorkKind | None = None) -> dict[str, object]:
    """The file's fingerprints, ready to paste into an import row's ``fingerprints``."""
    return read_prints(path, kind).as_import()
