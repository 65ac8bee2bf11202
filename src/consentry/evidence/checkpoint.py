"""C2SP tlog-checkpoint: a log's signed tree head (c2sp.org/tlog-checkpoint).

The body is three lines and optional extension lines: the origin (the log's
unique name, which should equal its key name), the tree size in decimal, the
base64 root hash; then non-empty extension lines. It travels as a signed
note. This parser is strict: the root must be a 32-byte SHA-256 hash, the
size a plain decimal, and extension lines non-empty.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

from consentry.evidence.merkle import HASH_SIZE
from consentry.evidence.note import NoteError, OpenedNote, Signer, Verifier, open_note, sign

# A plain ASCII decimal without leading zeros (str.isdigit also takes "²" and "٣").
DECIMAL = re.compile(r"0|[1-9][0-9]{0,19}")


@dataclass(frozen=True)
class Checkpoint:
    """A tree head: the log's origin, its size and its root hash."""

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        """The checkpoint body, as signed."""
        lines = [
            self.origin,
            str(self.size),
            base64.b64encode(self.root).decode(),
            *self.extensions,
        ]
        return "".join(f"{line}\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> Checkpoint:
        """Parse a checkpoint body; NoteError saying what is wrong."""
        if not text.endswith("\n"):
            raise NoteError("checkpoint must end with a newline")
        lines = text[:-1].split("\n")
        if len(lines) < 3 or not lines[0]:
            raise NoteError("checkpoint needs an origin, a size and a root hash")
        origin, size, encoded, *extensions = lines
        if not DECIMAL.fullmatch(size) or int(size) >= 2**64:
            raise NoteError(f"checkpoint size {size!r} is not a decimal number below 2**64")
        try:
            root = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise NoteError("checkpoint root hash is not base64") from exc
        if len(root) != HASH_SIZE:
            raise NoteError(f"checkpoint root hash is {len(root)} bytes, not {HASH_SIZE}")
        if any(not line for line in extensions):
            raise NoteError("checkpoint extension lines must not be empty")
        return cls(origin, int(size), root, tuple(extensions))

    def signed(self, *signers: Signer) -> str:
        """The checkpoint as a signed note."""
        return sign(self.text(), *signers)


@dataclass(frozen=True)
class VerifiedCheckpoint:
    """A checkpoint whose log signature verified, and the note it came in."""

    checkpoint: Checkpoint
    note: OpenedNote


def verify_checkpoint(note: str, log_key: Verifier, *others: Verifier) -> VerifiedCheckpoint:
    """Open a signed checkpoint: the log's own key must have signed it, and its origin match."""
    opened = open_note(note, [log_key, *others])
    if log_key.name not in opened.verified:
        raise NoteError(f"the checkpoint is not signed by the log key {log_key.name}")
    checkpoint = Checkpoint.parse(opened.text)
    return VerifiedCheckpoint(checkpoint, opened)
