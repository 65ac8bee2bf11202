"""The removal certificate: what a removal did, bound to the log so a creator can check it offline.

A certificate is one JSON object with three parts:

- ``claims``: what the operator states: the work and its fingerprints, the old
  and new dataset versions' roots and sizes, the items removed (ids, hashes,
  how each was found), the hashes proven absent, the model versions flagged
  for retraining or unlearning, the times, and what the certificate cannot
  prove. The ``removal.completed`` log entry holds the SHA-256 of the claims'
  RFC 8785 form, so no claim can change without breaking that entry's proof.
- ``log``: the log's origin and verifier key, one signed checkpoint, and four
  entries (the old version's ``dataset.committed``, ``removal.requested``, the
  new version's ``dataset.committed`` and ``removal.completed``), each with a
  C2SP tlog-proof receipt under that checkpoint.
- ``absence``: for every hash in ``claims.proven_absent``, a proof that it is
  not a leaf of the new version's sorted tree (two adjacent leaves, proven).

The file is written in one exact form (:func:`dumps`); the verifier refuses
any other, so every edit of the file, even one byte, is either a changed
value (caught by the digest, a signature or a proof) or a changed form.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785

from consentry.evidence.commitment import AbsenceProof, Commitment, Neighbour, prove_absent

FORMAT = "consentry-removal-certificate"
VERSION = 1
# The order of the four log entries a certificate carries, and each one's type.
ROLES = (
    ("old_version", "dataset.committed"),
    ("requested", "removal.requested"),
    ("new_version", "dataset.committed"),
    ("completed", "removal.completed"),
)
RETRAIN = "retrain_or_unlearn"

CANNOT_PROVE = (
    "That nobody trains on an older copy of the dataset: the log shows the versions "
    "committed and the trainings recorded, not copies kept elsewhere.",
    "That copies too altered to match were found: items were removed by their exact "
    "hashes and by the matching layer's near-copy and excerpt search; a copy changed "
    "beyond what it finds (heavily edited, translated, re-drawn) stays in.",
    "That models already trained forget the work: the models listed were trained on an "
    "earlier version and are flagged for retraining or unlearning; this certificate "
    "does not show that either happened.",
    "That the operator logged every dataset version it made: a version never committed "
    "to the log is outside what this certificate covers.",
)


def claims_digest(claims: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the claims' RFC 8785 canonical form: what the completion entry holds."""
    return hashlib.sha256(rfc8785.dumps(dict(claims))).hexdigest()


def proven_absent(
    work_hashes: Iterable[str | None], items: Iterable[Mapping[str, Any]]
) -> list[str]:
    """The hashes a certificate proves absent: the work's own and every removed item's, sorted."""
    found = {h for h in work_hashes if h}
    for item in items:
        found.update(h for h in (item.get("sha256"), item.get("content_sha256")) if h)
    return sorted(found)


@dataclass(frozen=True, slots=True)
class ProvenEntry:
    """One log entry in a certificate: its role, position, canonical bytes and receipt."""

    role: str
    position: int
    entry: bytes
    receipt: str

    def as_json(self) -> dict[str, Any]:
        """The entry as the certificate holds it."""
        return {
            "role": self.role,
            "position": self.position,
            "entry": self.entry.decode("utf-8"),
            "receipt": self.receipt,
        }


def _neighbour(n: Neighbour | None) -> dict[str, Any] | None:
    if n is None:
        return None
    return {"index": n.index, "value": n.value.hex(), "proof": [h.hex() for h in n.proof]}


def absence_json(commitment: Commitment, hashes: Sequence[str]) -> list[dict[str, Any]]:
    """A proof of absence from ``commitment`` for each hex hash (ValueError if one is present)."""
    out = []
    for value in hashes:
        proof = prove_absent(commitment, bytes.fromhex(value))
        out.append(
            {"hash": value, "below": _neighbour(proof.below), "above": _neighbour(proof.above)}
        )
    return out


def parse_neighbour(raw: Mapping[str, Any] | None) -> Neighbour | None:
    """A neighbour leaf from its JSON form (ValueError when malformed)."""
    if raw is None:
        return None
    proof = tuple(bytes.fromhex(h) for h in raw["proof"])
    return Neighbour(int(raw["index"]), bytes.fromhex(raw["value"]), proof)


def parse_absence(raw: Mapping[str, Any], size: int) -> AbsenceProof:
    """An :class:`AbsenceProof` from its JSON form, for a tree of ``size`` leaves."""
    return AbsenceProof(size, parse_neighbour(raw["below"]), parse_neighbour(raw["above"]))


def certificate(
    claims: Mapping[str, Any],
    *,
    origin: str,
    verifier_key: str,
    checkpoint: str,
    entries: Sequence[ProvenEntry],
    absence: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """Assemble a certificate from its claims, its log evidence and its proofs of absence."""
    roles = tuple(e.role for e in entries)
    if roles != tuple(r for r, _ in ROLES):
        raise ValueError(f"a certificate carries the entries {[r for r, _ in ROLES]}, not {roles}")
    return {
        "format": FORMAT,
        "version": VERSION,
        "claims": dict(claims),
        "log": {
            "origin": origin,
            "key": verifier_key,
            "checkpoint": checkpoint,
            "entries": [e.as_json() for e in entries],
        },
        "absence": [dict(a) for a in absence],
    }


def dumps(cert: Mapping[str, Any]) -> str:
    """The certificate's one exact written form (sorted keys, two-space indent, UTF-8)."""
    return json.dumps(cert, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
