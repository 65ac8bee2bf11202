"""C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys.

A note is UTF-8 text ending in a newline, a blank line, then one signature
line per signer: an EM DASH, a space, the key name, a space, and
base64(4-byte key ID || signature). The key ID is the first four bytes of
SHA-256(name || 0x0A || 0x01 || public key). Keys travel as text: a verifier
key ``<name>+<hex key ID>+<base64(0x01 || public key)>`` and a signer key
``PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || seed)>``.

Opening a note follows the specification: signatures by unknown keys are
ignored; a bad signature by a known key rejects the whole note; a note
without a single verified signature is rejected.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

ED25519 = 0x01
SIG_PREFIX = "\u2014 "
MAX_SIGNATURES = 100
# Checkpoints and receipts are a few hundred bytes; a bigger "note" is refused
# before any scanning, so hostile input costs bounded time.
MAX_NOTE_BYTES = 1024 * 1024


class NoteError(ValueError):
    """A key or note is malformed, or its signatures do not verify."""


def key_id(name: str, key: bytes) -> bytes:
    """The 4-byte ID of a key: SHA-256(name || 0x0A || type byte || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + key).digest()[:4]


def _valid_name(name: str) -> bool:
    return (
        bool(name) and "+" not in name and not any(c.isspace() for c in name) and name.isprintable()
    )


def b64decode_strict(text: str) -> bytes:
    """Standard base64 with no stray characters, or NoteError."""
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise NoteError(f"not base64: {text[:40]!r}") from exc


@dataclass(frozen=True)
class Verifier:
    """An Ed25519 verifier key."""

    name: str
    id: bytes
    public: Ed25519PublicKey

    @classmethod
    def parse(cls, vkey: str) -> Verifier:
        """Parse ``<name>+<hex id>+<base64 key>``, checking the type, the length and the ID."""
        name, _, rest = vkey.partition("+")
        hex_id, _, encoded = rest.partition("+")
        raw = b64decode_strict(encoded)
        if not _valid_name(name) or len(hex_id) != 8 or len(raw) != 33 or raw[0] != ED25519:
            raise NoteError(f"malformed verifier key {vkey!r}")
        if key_id(name, raw).hex() != hex_id:
            raise NoteError(f"verifier key {vkey!r}: the key ID does not match the key")
        return cls(name, bytes.fromhex(hex_id), Ed25519PublicKey.from_public_bytes(raw[1:]))

    def text(self) -> str:
        """The verifier key as text."""
        raw = bytes([ED25519]) + self.public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return f"{self.name}+{self.id.hex()}+{base64.b64encode(raw).decode()}"


@dataclass(frozen=True)
class Signer:
    """An Ed25519 signer key (keep it secret: never log :meth:`text`)."""

    name: str
    id: bytes
    private: Ed25519PrivateKey

    @classmethod
    def generate(cls, name: str) -> Signer:
        """A fresh key pair for ``name`` (a log's origin, say ``consentry.example/log``)."""
        if not _valid_name(name):
            raise NoteError(f"key name {name!r} is empty, or has a '+' or a space")
        private = Ed25519PrivateKey.generate()
        public = bytes([ED25519]) + private.public_key().public_bytes(
            Encoding.Raw, PublicFormat.Raw
        )
        return cls(name, key_id(name, public), private)

    @classmethod
    def parse(cls, skey: str) -> Signer:
        """Parse ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>``."""
        prefix, _, rest = skey.partition("+KEY+")
        name, _, rest = rest.partition("+")
        hex_id, _, encoded = rest.partition("+")
        raw = b64decode_strict(encoded)
        if prefix != "PRIVATE" or not _valid_name(name) or len(raw) != 33 or raw[0] != ED25519:
            raise NoteError("malformed signer key")
        private = Ed25519PrivateKey.from_private_bytes(raw[1:])
        signer = cls(name, bytes.fromhex(hex_id), private)
        if signer.verifier().id.hex() != hex_id:
            raise NoteError("signer key: the key ID does not match the key")
        return signer

    def verifier(self) -> Verifier:
        """The public half."""
        public = self.private.public_key()
        raw = bytes([ED25519]) + public.public_bytes(Encoding.Raw, PublicFormat.Raw)
        return Verifier(self.name, key_id(self.name, raw), public)

    def text(self) -> str:
        """The signer key as text, for a secret store."""
        seed = self.private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        encoded = base64.b64encode(bytes([ED25519]) + seed).decode()
        return f"PRIVATE+KEY+{self.name}+{self.id.hex()}+{encoded}"


def _check_text(text: str) -> None:
    if not text.endswith("\n"):
        raise NoteError("note text must end with a newline")
    if any(ord(c) < 0x20 and c != "\n" for c in text):
        raise NoteError("note text holds an ASCII control character")


def sign(text: str, *signers: Signer) -> str:
    """The signed note: ``text`` followed by one signature line per signer."""
    _check_text(text)
    lines = []
    for signer in signers:
        signature = signer.private.sign(text.encode())
        payload = base64.b64encode(signer.id + signature).decode()
        lines.append(f"{SIG_PREFIX}{signer.name} {payload}\n")
    return text + "\n" + "".join(lines)


@dataclass(frozen=True)
class OpenedNote:
    """A note whose signatures were checked: the text and who vouched for it."""

    text: str
    verified: tuple[str, ...]
    unverified: tuple[str, ...]


def open_note(note: str | bytes, verifiers: list[Verifier]) -> OpenedNote:
    """Check ``note``'s signatures against ``verifiers`` (see the module for the rules)."""
    if len(note) > MAX_NOTE_BYTES:
        raise NoteError(f"malformed note: larger than {MAX_NOTE_BYTES} bytes")
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NoteError("malformed note: not UTF-8") from exc
    text, lines = _split(note)
    known = {(v.name, v.id): v for v in verifiers}
    verified: list[str] = []
    unverified: list[str] = []
    for line in lines:
        name, _, encoded = line[len(SIG_PREFIX) :].partition(" ")
        raw = b64decode_strict(encoded)
        if not _valid_name(name) or len(raw) < 5:
            raise NoteError(f"malformed note: bad signature line {line!r}")
        verifier = known.get((name, raw[:4]))
        if verifier is None:
            unverified.append(name)
            continue
        try:
            verifier.public.verify(raw[4:], text.encode())
        except InvalidSignature as exc:
            raise NoteError(f"invalid signature by {name}: the note was altered") from exc
        verified.append(name)
    if not verified:
        raise NoteError("no verifiable signatures: none is by a key you trust")
    return OpenedNote(text, tuple(verified), tuple(unverified))


def _split(note: str) -> tuple[str, list[str]]:
    if any(ord(c) < 0x20 and c != "\n" for c in note):
        raise NoteError("malformed note: ASCII control character")
    at = note.rfind("\n\n")
    if at < 0 or not note.endswith("\n"):
        raise NoteError("malformed note: no signature block")
    text, block = note[: at + 1], note[at + 2 :]
    lines = block.split("\n")[:-1]
    if (
        not lines
        or len(lines) > MAX_SIGNATURES
        or not all(ln.startswith(SIG_PREFIX) for ln in lines)
    ):
        raise NoteError("malformed note: the signature block has a line that is not a signature")
    return text, lines
