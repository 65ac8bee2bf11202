"""Verify a whole log: recompute leaves and tree; check every checkpoint and their consistency.

This is the operator's and auditor's check (``consentry log verify``). It
trusts nothing stored but the log's public key: each entry's leaf hash is
recomputed from its body and must equal the stored one, positions must be
dense and in order, each body must be a canonical log entry whose type is
the stored type column (:mod:`.verify_entries`), each stored checkpoint must
carry the log's valid signature and the root of the recomputed tree at its
size, and consecutive checkpoints must be consistent (RFC 9162 2.1.4). An
edited, dropped, inserted or reordered entry, or a fork, is reported with
the first position that cannot be trusted. There is one mode: every check,
every time (the entries are checked in runs of :data:`RUN` at C speed).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from consentry.evidence.checkpoint import Checkpoint, verify_checkpoint
from consentry.evidence.merkle import HASH_SIZE, MerkleTree, ProofError, verify_consistency
from consentry.evidence.note import NoteError, Verifier
from consentry.evidence.verify_entries import LoggedEntry, check_entries

__all__ = ["RUN", "LogReport", "LoggedEntry", "verify_log"]

RUN = 4096  # entries checked together; memory holds one run of bodies, plus 32 bytes a leaf


@dataclass
class LogReport:
    """What verification found: the size, the checkpoints checked, and the first bad position."""

    size: int = 0
    checkpoints: int = 0
    first_bad: int | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was wrong."""
        return not self.problems

    def fail(self, position: int, problem: str) -> None:
        """Record a problem at ``position`` (the earliest one is kept as ``first_bad``)."""
        self.first_bad = position if self.first_bad is None else min(self.first_bad, position)
        self.problems.append(problem)


def verify_log(
    entries: Iterable[LoggedEntry], checkpoints: Sequence[str], log_key: Verifier
) -> LogReport:
    """Check the entries (in stored order) and the signed checkpoint notes against ``log_key``."""
    report = LogReport()
    tree = _rebuild(entries, report)
    report.size = len(tree)
    heads = _open_checkpoints(checkpoints, log_key, report)
    good = 0
    for head in heads:
        if head.size > len(tree):
            report.fail(len(tree), f"checkpoint {head.size} is larger than the log ({len(tree)})")
        elif tree.root(head.size) != head.root:
            report.fail(good, f"checkpoint {head.size}: the entries before it were changed")
        else:
            good = head.size
        report.checkpoints += 1
    _check_consistency(heads, tree, report)
    return report


def _rebuild(entries: Iterable[LoggedEntry], report: LogReport) -> MerkleTree:
    """The tree of the leaves recomputed from the bodies; every entry problem into ``report``."""
    leaves = bytearray()
    stream = iter(entries)
    while run := list(itertools.islice(stream, RUN)):
        checked = check_entries(len(leaves) // HASH_SIZE, run)
        for position, problem in checked.problems:
            report.fail(position, problem)
        leaves += checked.leaves
    return MerkleTree.from_packed(bytes(leaves))


def _open_checkpoints(notes: Sequence[str], key: Verifier, report: LogReport) -> list[Checkpoint]:
    heads = []
    for note in notes:
        try:
            heads.append(verify_checkpoint(note, key).checkpoint)
        except NoteError as exc:
            report.fail(0, f"a stored checkpoint does not verify: {exc}")
    return sorted(heads, key=lambda c: c.size)


def _check_consistency(heads: list[Checkpoint], tree: MerkleTree, report: LogReport) -> None:
    for old, new in itertools.pairwise(heads):
        if new.size > len(tree) or old.size == 0:
            continue
        proof = tree.consistency_proof(old.size, new.size)
        try:
            verify_consistency(old.size, new.size, proof, old.root, new.root)
        except ProofError as exc:
            report.fail(old.size, f"checkpoints {old.size} and {new.size} are a fork: {exc}")
