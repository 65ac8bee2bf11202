"""The evidence log as a user sees it: its key, checkpoints, receipts and verification.

Every action that changes the registry appends its entry with :func:`record`
inside its own unit of work, so a change and its entry commit together or not
at all. The log is signed with an Ed25519 key kept outside the database:
``$CONSENTRY_LOG_KEY`` (the key itself), else ``$CONSENTRY_LOG_KEY_FILE``,
else a file beside an SQLite registry (``consentry.db.log-key``), created
with mode 0600 on first use (see ``docs/evidence.md`` for rotation).
"""

from __future__ import annotations

import os
from pathlib import Path

from consentry.actions.workspace import Workspace
from consentry.config import log_key_file_override, log_key_text, log_origin
from consentry.errors import InvalidInput, NotFound
from consentry.evidence.checkpoint import Checkpoint, verify_checkpoint
from consentry.evidence.entry import Entry
from consentry.evidence.merkle import MerkleTree
from consentry.evidence.note import NoteError, Signer
from consentry.evidence.receipt import Receipt
from consentry.evidence.verify import LogReport, verify_log
from consentry.store import Registry
from consentry.store.log import StoredEntry


def record(ws: Workspace, registry: Registry, entry: Entry) -> int:
    """Append ``entry`` in ``registry``'s unit of work; returns its position."""
    return registry.append_entry(entry, ws.now())


def key_path(ws: Workspace) -> Path:
    """Where the log's signer key file is (or will be created)."""
    override = log_key_file_override()
    if override:
        return Path(override)
    return ws.beside_database(".log-key", "consentry-log.key")


def log_signer(ws: Workspace) -> Signer:
    """The log's signer key, created on first use when none is configured."""
    text = log_key_text()
    if text is None:
        path = key_path(ws)
        if not path.exists():
            signer = Signer.generate(log_origin())
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(signer.text() + "\n")
            return signer
        text = path.read_text(encoding="ascii").strip()
    try:
        return Signer.parse(text)
    except NoteError as exc:
        raise InvalidInput(f"the log key is malformed: {exc}", hint="see docs/evidence.md") from exc


def public_key(ws: Workspace) -> str:
    """The log's verifier key (C2SP vkey), to give to anyone who checks receipts."""
    return log_signer(ws).verifier().text()


def entries(ws: Workspace, start: int = 0, limit: int | None = None) -> list[StoredEntry]:
    """Log entries from ``start``."""
    with ws.transaction() as registry:
        found: list[StoredEntry] = []
        for entry in registry.log_entries_from(start):
            if limit is not None and len(found) >= limit:
                break
            found.append(entry)
        return found


def _tree(registry: Registry) -> MerkleTree:
    return MerkleTree([e.leaf_hash for e in registry.log_leaves_from(0)])


def checkpoint(ws: Workspace) -> str:
    """Sign the current tree head, store it (once per size) and return the signed note."""
    signer = log_signer(ws)
    with ws.transaction() as registry:
        tree = _tree(registry)
        stored = {c.size: c for c in registry.list_checkpoints()}
        if len(tree) in stored:
            return stored[len(tree)].note
        note = Checkpoint(signer.name, len(tree), tree.root()).signed(signer)
        registry.add_checkpoint(len(tree), tree.root(), note, ws.now())
    return note


def prove(ws: Workspace, position: int) -> Receipt:
    """A receipt for entry ``position``: its inclusion proof under the newest checkpoint."""
    note = checkpoint(ws)
    signer = log_signer(ws)
    head = verify_checkpoint(note, signer.verifier()).checkpoint
    with ws.transaction() as registry:
        tree = _tree(registry)
    if not 0 <= position < head.size:
        raise NotFound(f"no log entry {position} (the log has {head.size})")
    return Receipt(position, tuple(tree.inclusion_proof(position, head.size)), note)


def verify(ws: Workspace, since: str | None = None) -> LogReport:
    """Check the whole log (see :func:`consentry.evidence.verify.verify_log`).

    ``since`` is a signed checkpoint kept from earlier (by an auditor, say):
    the log must still hold the tree it signed.
    """
    key = log_signer(ws).verifier()
    with ws.transaction() as registry:
        notes = [c.note for c in registry.list_checkpoints()]
        if since is not None:
            notes.append(since)
        return verify_log(registry.log_leaves_from(0), notes, key)
