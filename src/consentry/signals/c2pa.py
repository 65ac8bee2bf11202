"""C2PA / CAWG training-and-data-mining assertions, read offline with c2pa-python.

Both labels (``c2pa.training-mining`` and ``cawg.training-mining``) and both
entry prefixes are read from the active manifest. ``notAllowed`` and
``constrained`` reserve the entry's uses; a missing entry is no statement.
Validity is kept apart, as the standard asks: a reservation counts whatever
the manifest's state (fail closed), but an ``allowed`` entry is recorded as
consent only from a manifest whose state is ``Trusted`` (no remote manifest
is fetched, no OCSP is asked; without trust anchors nothing is ``Trusted``).
A manifest that cannot be read reserves every use.
"""

from __future__ import annotations

import io
import json
from typing import Any

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES, uses_for

LABELS = ("c2pa.training-mining", "cawg.training-mining")
RESERVING = ("notAllowed", "constrained")
_MIME = (
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"WEBP", 8, "image/webp"),
    (b"WAVE", 8, "audio/wav"),
    (b"ftyp", 4, "video/mp4"),
)


def mime_of(data: bytes) -> str | None:
    """The media type c2pa-python needs, from the file's first bytes."""
    for magic, offset, mime in _MIME:
        if data[offset : offset + len(magic)] == magic:
            return mime
    return None


def from_c2pa(data: bytes, where: str = "c2pa") -> list[Signal]:
    """The training-and-data-mining statements of the file's active C2PA manifest."""
    mime = mime_of(data)
    if mime is None or (b"c2pa" not in data and b"jumb" not in data):
        return []
    import c2pa  # the native library loads only for files that may carry a manifest

    settings = {"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}}
    try:
        context = c2pa.Context(c2pa.Settings.from_dict(settings))
        with c2pa.Reader(mime, io.BytesIO(data), context=context) as reader:
            store: dict[str, Any] = json.loads(reader.json())
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "ManifestNotFound" in str(exc):
            return []
        note = f"unreadable manifest ({exc}): read as reserved"
        return [Signal("c2pa", ALL_USES, where, None, status="malformed", note=note)]
    return _statements(store, where)


def _statements(store: dict[str, Any], where: str) -> list[Signal]:
    state = str(store.get("validation_state", "Unknown"))
    manifest = store.get("manifests", {}).get(store.get("active_manifest"), {})
    found = []
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") not in LABELS:
            continue
        entries = assertion.get("data", {}).get("entries", {})
        for entry, answer in sorted(entries.items()):
            found.append(_entry(entry, answer, state, f"{where}:{assertion['label']}"))
    return found


def _entry(entry: str, answer: dict[str, Any], state: str, where: str) -> Signal:
    use = str(answer.get("use", ""))
    uses = uses_for("c2pa", entry)
    value = f"{entry}={use}"
    note = f"manifest {state}"
    if uses is None:
        return Signal("c2pa", frozenset(), where, value, status="unknown", note=note)
    if use in RESERVING:
        return Signal("c2pa", uses, where, value, note=note)
    if use == "allowed":
        if state == "Trusted":
            return Signal("c2pa", frozenset(), where, value, allowed=uses, note=note)
        note += ": an allowed from a manifest that is not trusted is not consent"
        return Signal("c2pa", frozenset(), where, value, note=note)
    note += f": {use!r} is not a known answer; read as reserved"
    return Signal("c2pa", uses, where, value, status="malformed", note=note)
