"""Where a dataset version's outputs are: remembered when written, checked whenever read.

A scan (and a removal) records the folder it wrote a dataset version's
outputs into, with its manifest's SHA-256 (``dataset_outputs``). Removal,
complaints, the ledger and reports take that folder by default; a folder the
caller names still wins. Either way the folder is used only when its
``manifest.jsonl`` has the SHA-256 that the log's ``dataset.committed`` entry
gives: a folder that moved or whose manifest was edited is refused with a
message saying which, and what to do (name the folder, or record its new place
with :func:`locate_outputs`, ``consentry datasets locate``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from consentry.actions.workspace import Workspace
from consentry.errors import InvalidInput
from consentry.store import Registry
from consentry.store.outputs import OutputsRecord, OutputsStore
from consentry.store.removals import RemovalStore

MANIFEST = "manifest.jsonl"
_LOCATE = "consentry datasets locate {dataset} DIR"


def remember_outputs(registry: Registry, dataset_id: str, folder: Path, digest: str) -> None:
    """Record, in the caller's unit of work, that ``folder`` holds ``dataset_id``'s outputs."""
    record = OutputsRecord(dataset_id, str(folder.resolve()), digest)
    OutputsStore(registry.conn).set_outputs(record)


def manifest_digest(folder: Path) -> str | None:
    """The SHA-256 of ``folder/manifest.jsonl``; None when there is none to read."""
    try:
        with (folder / MANIFEST).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _committed(registry: Registry, dataset_id: str) -> str:
    """The manifest digest the log committed to for ``dataset_id`` (and the registry agrees)."""
    version = registry.get_dataset_version(dataset_id)
    logged = OutputsStore(registry.conn).committed_manifest(dataset_id)
    if logged is None:
        raise InvalidInput(f"dataset version {dataset_id} was never committed to the log")
    if logged != version.manifest_sha256:
        raise InvalidInput(
            f"the registry and the log disagree on the manifest of {dataset_id}",
            hint="run `consentry log verify`",
        )
    return logged


def _recorded(registry: Registry, dataset_id: str) -> Path | None:
    """The recorded folder; for versions written before it was recorded, the removal's."""
    record = OutputsStore(registry.conn).outputs_of(dataset_id)
    if record is not None:
        return Path(record.path)
    made_by = RemovalStore(registry.conn).removal_making(dataset_id)
    return Path(made_by.out_dir) if made_by is not None else None


def check_folder(
    folder: Path, dataset_id: str, digest: str, *, recorded: bool, option: str = "DIR"
) -> Path:
    """``folder`` if its manifest is the committed one; InvalidInput saying what is wrong.

    ``option`` is how the caller's user names a folder (``--from DIR``), for the hints.
    """
    locate = _LOCATE.format(dataset=dataset_id)
    if not folder.is_dir():
        if recorded:
            raise InvalidInput(
                f"the outputs of dataset version {dataset_id} were written to {folder}, "
                "which is no longer there (moved or deleted)",
                hint=f"name the folder where they are now ({option}), or record it: {locate}",
            )
        raise InvalidInput(
            f"{folder} is not a folder", hint=f"name the scan's --out folder ({option})"
        )
    found = manifest_digest(folder)
    if found is None:
        raise InvalidInput(
            f"no readable {MANIFEST} in {folder}", hint=f"name the scan's --out folder ({option})"
        )
    if found != digest:
        what = "was edited or replaced since the scan" if recorded else "is another manifest"
        raise InvalidInput(
            f"{folder / MANIFEST} {what}: its SHA-256 is {found}, but the log committed "
            f"dataset version {dataset_id} to {digest}",
            hint=f"restore the scan's outputs, or name the folder holding them ({option})",
        )
    return folder


def resolve_folder(
    registry: Registry, dataset_id: str, given: Path | None = None, *, option: str = "DIR"
) -> Path:
    """In the caller's unit of work: ``given`` checked, else the recorded folder checked."""
    digest = _committed(registry, dataset_id)
    if given is not None:
        return check_folder(given, dataset_id, digest, recorded=False, option=option)
    recorded = _recorded(registry, dataset_id)
    if recorded is None:
        raise InvalidInput(
            f"where are the outputs of dataset version {dataset_id}? none was recorded",
            hint=f"name the folder its scan wrote ({option}), or record it: "
            + _LOCATE.format(dataset=dataset_id),
        )
    return check_folder(recorded, dataset_id, digest, recorded=True, option=option)


def output_folder(
    ws: Workspace, dataset_id: str, given: Path | None = None, *, option: str = "DIR"
) -> Path:
    """The checked folder of ``dataset_id``'s outputs: ``given``, else the recorded one."""
    with ws.transaction() as registry:
        return resolve_folder(registry, dataset_id, given, option=option)


def recorded_folder(registry: Registry, dataset_id: str, *, option: str = "DIR") -> Path | None:
    """The recorded folder, checked; None when none is recorded (InvalidInput if moved/edited)."""
    if _recorded(registry, dataset_id) is None:
        return None
    return resolve_folder(registry, dataset_id, option=option)


def usable_folder(registry: Registry, dataset_id: str) -> Path | None:
    """The recorded folder when it is there and unchanged; None otherwise (never raises)."""
    try:
        return recorded_folder(registry, dataset_id)
    except InvalidInput:
        return None


def locate_outputs(ws: Workspace, dataset_id: str, folder: Path) -> Path:
    """Record that ``dataset_id``'s outputs are now in ``folder`` (checked against the log)."""
    with ws.transaction() as registry:
        resolve_folder(registry, dataset_id, folder)
        remember_outputs(registry, dataset_id, folder, _committed(registry, dataset_id))
    return folder.resolve()


def default_scan_dir(ws: Workspace, dataset_id: str) -> Path | None:
    """The recorded, checked folder of ``dataset_id`` (for ``--scan-dir``); None if none."""
    with ws.transaction() as registry:
        return recorded_folder(registry, dataset_id, option="--scan-dir DIR")
