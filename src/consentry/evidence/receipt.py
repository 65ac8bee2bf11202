"""Offline receipts: C2SP tlog-proof, an inclusion proof with its signed checkpoint.

Text form: the header line, an optional ``extra <base64>`` line, ``index
<n>``, one base64 hash per line, a blank line, then the signed checkpoint
note. Anyone holding the log's verifier key and the entry checks it offline.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from consentry.evidence.checkpoint import DECIMAL, verify_checkpoint
from consentry.evidence.merkle import HASH_SIZE, hash_leaf, verify_inclusion
from consentry.evidence.note import MAX_NOTE_BYTES, NoteError, Verifier, b64decode_strict

HEADER = "c2sp.org/tlog-proof@v1"
MAX_LINE = 64 * 1024
MAX_PROOF_HASHES = 64  # a tree of fewer than 2**64 leaves is at most 64 levels deep


@dataclass(frozen=True)
class Receipt:
    """An inclusion proof for leaf ``index`` under a signed ``checkpoint`` note."""

    index: int
    proof: tuple[bytes, ...]
    checkpoint: str
    extra: bytes | None = None

    def text(self) -> str:
        """The tlog-proof serialisation."""
        lines = [HEADER]
        if self.extra is not None:
            lines.append(f"extra {base64.b64encode(self.extra).decode()}")
        lines.append(f"index {self.index}")
        lines += [base64.b64encode(h).decode() for h in self.proof]
        return "\n".join(lines) + "\n\n" + self.checkpoint

    @classmethod
    def parse(cls, text: str) -> Receipt:
        """Parse a tlog-proof; NoteError saying what is wrong."""
        if len(text) > 2 * MAX_NOTE_BYTES:
            raise NoteError(f"a receipt is limited to {2 * MAX_NOTE_BYTES} characters")
        head, sep, checkpoint = text.partition("\n\n")
        lines = head.split("\n")
        if not sep or lines[0] != HEADER or any(len(x) > MAX_LINE for x in lines):
            raise NoteError("not a c2sp.org/tlog-proof@v1 receipt")
        extra = None
        rest = lines[1:]
        if rest and rest[0].startswith("extra "):
            extra = b64decode_strict(rest.pop(0)[6:])
        if not rest or not rest[0].startswith("index ") or not DECIMAL.fullmatch(rest[0][6:]):
            raise NoteError("the receipt has no valid 'index' line")
        index = int(rest[0][6:])
        if index >= 2**64 or len(rest) - 1 > MAX_PROOF_HASHES:
            raise NoteError("the receipt's index or proof is larger than any log can be")
        proof = tuple(b64decode_strict(x) for x in rest[1:])
        if any(len(h) != HASH_SIZE for h in proof):
            raise NoteError(f"every proof hash must be {HASH_SIZE} bytes")
        return cls(index, proof, checkpoint, extra)

    def verify(self, entry: bytes, log_key: Verifier) -> int:
        """Check that ``entry`` is leaf ``index`` of the signed tree; returns the tree size."""
        checkpoint = verify_checkpoint(self.checkpoint, log_key).checkpoint
        verify_inclusion(self.index, checkpoint.size, hash_leaf(entry), self.proof, checkpoint.root)
        return checkpoint.size
