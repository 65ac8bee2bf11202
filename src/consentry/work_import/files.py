"""Fingerprint a work's file named by an import row, safely.

The path must stay inside the import file's folder (no absolute paths, no
``..`` or link that leads out of it), the file must exist and be readable, and
its bytes must be what the row's ``kind`` says (a PNG is not a text).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from pathlib import Path, PurePosixPath

from consentry.domain import Fingerprints, WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint.audio import audio_fingerprint_file, fpcalc_path
from consentry.fingerprint.exact import sniff_kind
from consentry.fingerprint.near import near_audio, near_video, work_fingerprints
from consentry.fingerprint.work import text_fingerprints

_SNIFF_BYTES = 4096
_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:|[\\/]{2})")
_STREAMED = frozenset({WorkKind.AUDIO, WorkKind.VIDEO})
_HOLDS = {
    WorkKind.TEXT: "text",
    WorkKind.IMAGE: "an image",
    WorkKind.AUDIO: "audio",
    WorkKind.VIDEO: "a video",
}


class FileProblem(ValueError):
    """A row's ``file`` cannot be used; the message says why in plain words."""


def locate(base: Path, name: str) -> Path:
    """The file ``name`` inside ``base`` (resolved), or FileProblem if it escapes or is absent.

    ``base`` must already be resolved (absolute, links followed).
    """
    if PurePosixPath(name).is_absolute() or _WINDOWS_ABSOLUTE.match(name):
        raise FileProblem(
            f"file {name!r} is an absolute path; give a path relative to the import "
            f"file's folder ({base})"
        )
    target = (base / name).resolve()
    if not target.is_relative_to(base):
        raise FileProblem(f"file {name!r} is outside the import file's folder ({base})")
    if not target.exists():
        raise FileProblem(f"file {name!r} does not exist (relative to {base})")
    if not target.is_file():
        raise FileProblem(f"file {name!r} is not a regular file (relative to {base})")
    return target


def file_fingerprints(base: Path, name: str, kind: WorkKind) -> Fingerprints:
    """Exact fingerprints of the file ``name`` read as ``kind``, or FileProblem."""
    target = locate(base, name)
    try:
        if kind in _STREAMED:
            return _streamed(target, name, kind)
        data = target.read_bytes()
    except OSError as exc:
        raise FileProblem(f"file {name!r} cannot be read: {exc.strerror or exc}") from exc
    _check_kind(name, data[:_SNIFF_BYTES], kind)
    try:
        if kind is WorkKind.TEXT:  # extracted as `consentry fingerprint` does (PDF, HTML...)
            return text_fingerprints(data)[2]
        return work_fingerprints(data, kind)
    except UnreadableContent as exc:
        raise FileProblem(f"file {name!r} cannot be read as {kind}: {exc.message}") from exc


def _streamed(target: Path, name: str, kind: WorkKind) -> Fingerprints:
    """Raw SHA-256 of a large medium without holding it in memory (no content norm yet)."""
    with target.open("rb") as handle:
        _check_kind(name, handle.read(_SNIFF_BYTES), kind)
        handle.seek(0)
        digest = hashlib.file_digest(handle, "sha256")
    near: dict[str, bytes] = {}
    if kind is WorkKind.AUDIO and fpcalc_path() is not None:
        # Best effort, as without fpcalc: a recording Chromaprint cannot read is
        # still registered by its hash (and then matches byte-identical copies only).
        with contextlib.suppress(UnreadableContent):
            near = near_audio(audio_fingerprint_file(target))
    if kind is WorkKind.VIDEO:
        with contextlib.suppress(UnreadableContent):  # as audio: registered by its hash then
            near = near_video(target)
    return Fingerprints(sha256=digest.hexdigest(), near=near)


def _check_kind(name: str, head: bytes, kind: WorkKind) -> None:
    if not head:
        raise FileProblem(f"file {name!r} is empty")
    sniffed = sniff_kind(head)
    if sniffed is not None and sniffed is not kind:
        raise FileProblem(f"file {name!r} holds {_HOLDS[sniffed]}, but kind is {kind}")
