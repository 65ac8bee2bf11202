"""Issue a removal's certificate: sign a checkpoint, prove the entries, write JSON and HTML.

Runs after the removal's unit of work has committed: the checkpoint must
cover the ``removal.completed`` entry. The certificate's digest is then
recorded with the removal and in a ``certificate.issued`` entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from consentry.actions.certificate_html import render_html
from consentry.actions.log import checkpoint, log_signer, record
from consentry.actions.workspace import Workspace
from consentry.evidence.certificate import ROLES, ProvenEntry, absence_json, certificate, dumps
from consentry.evidence.checkpoint import verify_checkpoint
from consentry.evidence.commitment import Commitment
from consentry.evidence.events_removal import certificate_issued
from consentry.evidence.merkle import MerkleTree
from consentry.evidence.receipt import Receipt
from consentry.evidence.removal import Removal
from consentry.store.removals import RemovalStore

CERTIFICATE = "removal-certificate.json"
HTML = "removal-certificate.html"


def issue_certificate(
    ws: Workspace,
    removal: Removal,
    claims: Mapping[str, Any],
    commitment: Commitment,
    positions: Sequence[int],
) -> tuple[Path, Path]:
    """Write the certificate beside the new version's outputs and record it; its two paths."""
    cert = build_certificate(ws, claims, commitment, positions)
    text = dumps(cert)
    folder = Path(removal.out_dir)
    json_path, html_path = folder / CERTIFICATE, folder / HTML
    page = render_html(cert)
    json_path.write_text(text, encoding="utf-8")
    html_path.write_text(page, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with ws.transaction() as registry:
        RemovalStore(registry.conn).set_certificate(removal.id, text, digest)
        record(ws, registry, certificate_issued(removal.id, digest))
    return json_path, html_path


def build_certificate(
    ws: Workspace, claims: Mapping[str, Any], commitment: Commitment, positions: Sequence[int]
) -> dict[str, Any]:
    """The certificate: receipts for ``positions`` (in :data:`ROLES` order) under one checkpoint."""
    signer = log_signer(ws)
    note = checkpoint(ws)
    head = verify_checkpoint(note, signer.verifier()).checkpoint
    with ws.transaction() as registry:
        stored = {}
        leaves = []
        for entry in registry.log_entries_from(0):
            if entry.position >= head.size:
                break
            leaves.append(entry.leaf_hash)
            if entry.position in positions:
                stored[entry.position] = entry.body
    tree = MerkleTree(leaves)
    entries = [
        ProvenEntry(
            role,
            position,
            stored[position],
            Receipt(position, tuple(tree.inclusion_proof(position, head.size)), note).text(),
        )
        for (role, _type), position in zip(ROLES, positions, strict=True)
    ]
    return certificate(
        claims,
        origin=signer.name,
        verifier_key=signer.verifier().text(),
        checkpoint=note,
        entries=entries,
        absence=absence_json(commitment, claims["proven_absent"]),
    )
