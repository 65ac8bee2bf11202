"""Fingerprint a file as ``consentry works import`` expects under ``fingerprints``."""

from __future__ import annotations

from pathlib import Path

from consentry.domain import WorkKind
from consentry.errors import NotFound, UnreadableContent
from consentry.fingerprint import exact_fingerprints, sniff_kind


def fingerprint_file(path: Path, kind: WorkKind | None = None) -> dict[str, str]:
    """The file's exact fingerprints, ready to paste into an import row's ``fingerprints``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"no file {path}") from exc
    resolved = kind or sniff_kind(data)
    if resolved is None:
        raise UnreadableContent(
            f"cannot tell what kind of work {path} is", hint="give --kind text|image|audio|video"
        )
    prints = exact_fingerprints(data, resolved)
    row = {"sha256": prints.sha256 or ""}
    if prints.content_sha256 and prints.norm:
        row |= {"content_sha256": prints.content_sha256, "norm": prints.norm}
    return row
