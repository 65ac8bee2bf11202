"""Near-copy fingerprints as bytes: what the registry stores and an import carries.

A near-copy fingerprint is ``(scheme, data)``: the scheme names the algorithm
and its version (``text-shingle-v1``), and ``data`` is its portable byte form,
so that the registry, the index and a creator's fingerprint-only registration
(``consentry fingerprint FILE``) hold the same thing. Every scheme has one
encoder and one decoder here; a scheme that is not known is refused, never
guessed at.

``text-shingle-v1`` bytes, all little-endian: ``u32`` count *n*, ``u32`` the
number of folded characters, then *n* ``u64`` shingle hashes, *n* ``u32``
start offsets and *n* ``u32`` end offsets (code points in the work's text,
which let a match point at the passage without the text being stored).
"""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass, replace

import numpy as np

from consentry.domain import Fingerprints, WorkKind
from consentry.errors import InvalidInput, UnreadableContent
from consentry.fingerprint.audio import (
    AUDIO_SCHEME,
    AudioFingerprint,
    audio_fingerprint,
    audio_refusal,
)
from consentry.fingerprint.exact import decode_text_bytes, exact_fingerprints
from consentry.fingerprint.image import (
    IMAGE_SCHEME,
    WHOLE_MIN_QUALITY,
    ImageFingerprint,
    work_fingerprint,
)
from consentry.fingerprint.text import TEXT_SHINGLE_SCHEME, TextFingerprint, text_fingerprint
from consentry.fingerprint.video import (
    VIDEO_SCHEME,
    Source,
    VideoFingerprint,
    decode_frames,
    encode_frames,
    frames_fingerprint,
    frames_refusal,
    has_audio,
    soundtrack_fingerprint,
)

_TEXT_HEADER = struct.Struct("<II")
_IMAGE_HEADER = struct.Struct("<HH")
_AUDIO_HEADER = struct.Struct("<dI")
MAX_NEAR_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class NearFingerprint:
    """One near-copy fingerprint of a work in its portable form."""

    scheme: str
    data: bytes

    def to_text(self) -> str:
        """Base64 of ``data``, as JSON carries it."""
        return base64.b64encode(self.data).decode("ascii")

    @classmethod
    def from_text(cls, scheme: str, text: str) -> NearFingerprint:
        """Decode base64 ``text`` and check that it is a well-formed ``scheme`` fingerprint."""
        if len(text) > MAX_NEAR_BYTES * 4 // 3 + 4:
            raise InvalidInput(f"the {scheme} fingerprint is larger than {MAX_NEAR_BYTES} bytes")
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InvalidInput(f"the {scheme} fingerprint is not valid base64") from exc
        near = cls(scheme, data)
        decode_near(near)
        return near


def encode_text(fp: TextFingerprint) -> NearFingerprint:
    """The portable form of a ``text-shingle-v1`` fingerprint."""
    n = len(fp)
    parts = (
        _TEXT_HEADER.pack(n, fp.folded_chars),
        fp.hashes.astype("<u8").tobytes(),
        fp.starts.astype("<u4").tobytes(),
        fp.ends.astype("<u4").tobytes(),
    )
    return NearFingerprint(fp.scheme, b"".join(parts))


def decode_text(data: bytes, content_sha256: str | None = None) -> TextFingerprint:
    """The :class:`TextFingerprint` in ``data``; InvalidInput when it is malformed."""
    if len(data) < _TEXT_HEADER.size:
        raise InvalidInput(f"the {TEXT_SHINGLE_SCHEME} fingerprint is truncated")
    n, folded = _TEXT_HEADER.unpack_from(data)
    if len(data) != _TEXT_HEADER.size + n * 16:
        raise InvalidInput(
            f"the {TEXT_SHINGLE_SCHEME} fingerprint says {n} shingles but holds "
            f"{len(data) - _TEXT_HEADER.size} bytes (expected {n * 16})"
        )
    at = _TEXT_HEADER.size
    hashes = np.frombuffer(data, "<u8", n, at).astype(np.uint64)
    starts = np.frombuffer(data, "<u4", n, at + 8 * n).astype(np.uint32)
    ends = np.frombuffer(data, "<u4", n, at + 12 * n).astype(np.uint32)
    if np.any(ends <= starts) or np.any(np.diff(starts.astype(np.int64)) < 0):
        raise InvalidInput(f"the {TEXT_SHINGLE_SCHEME} fingerprint's offsets are out of order")
    return TextFingerprint(TEXT_SHINGLE_SCHEME, hashes, starts, ends, folded, content_sha256)


def encode_image(fp: ImageFingerprint) -> NearFingerprint:
    """The portable form of an ``image-pdq-v1`` fingerprint: u16 quality, u16 n, n x 32 bytes."""
    header = _IMAGE_HEADER.pack(fp.quality, len(fp))
    return NearFingerprint(fp.scheme, header + fp.hashes.astype(np.uint8).tobytes())


def decode_image(data: bytes) -> ImageFingerprint:
    """The :class:`ImageFingerprint` in ``data``; InvalidInput when it is malformed."""
    if len(data) < _IMAGE_HEADER.size:
        raise InvalidInput(f"the {IMAGE_SCHEME} fingerprint is truncated")
    quality, n = _IMAGE_HEADER.unpack_from(data)
    if n == 0 or len(data) != _IMAGE_HEADER.size + 32 * n:
        raise InvalidInput(f"the {IMAGE_SCHEME} fingerprint's size does not match its count")
    hashes = np.frombuffer(data, np.uint8, 32 * n, _IMAGE_HEADER.size).reshape(n, 32).copy()
    return ImageFingerprint(IMAGE_SCHEME, hashes, quality)


def encode_audio(fp: AudioFingerprint) -> NearFingerprint:
    """The portable form of a ``chromaprint-v1`` fingerprint: f64 duration, u32 n, n u32 codes."""
    header = _AUDIO_HEADER.pack(fp.duration, len(fp.codes))
    return NearFingerprint(fp.scheme, header + fp.codes.astype("<u4").tobytes())


def decode_audio(data: bytes) -> AudioFingerprint:
    """The :class:`AudioFingerprint` in ``data``; InvalidInput when it is malformed."""
    if len(data) < _AUDIO_HEADER.size:
        raise InvalidInput(f"the {AUDIO_SCHEME} fingerprint is truncated")
    duration, n = _AUDIO_HEADER.unpack_from(data)
    if len(data) != _AUDIO_HEADER.size + 4 * n:
        raise InvalidInput(f"the {AUDIO_SCHEME} fingerprint's size does not match its count")
    codes = np.frombuffer(data, "<u4", n, _AUDIO_HEADER.size).astype(np.uint32)
    return AudioFingerprint(codes=codes, duration=duration)


def near_audio(fp: AudioFingerprint) -> dict[str, bytes]:
    """The near map for an audio work: empty when it carries too little to match."""
    if audio_refusal(fp) is not None:
        return {}
    near = encode_audio(fp)
    return {near.scheme: near.data}


def near_video(source: Source) -> dict[str, bytes]:
    """The near map for a video work: its frames and its soundtrack, each when it can match.

    A picture or soundtrack with too little information is left out (the work
    then matches by the other, or by its hashes only), and so is a soundtrack
    ``fpcalc`` cannot read when the picture can match; a file whose picture
    cannot be decoded raises UnreadableContent.
    """
    near: dict[str, bytes] = {}
    try:
        frames = frames_fingerprint(source, work=True)
    except UnreadableContent as exc:  # an audio-only container: its sound alone
        if not exc.message.startswith("unreadable:no_video"):
            raise
    else:
        if frames_refusal(frames) is None:
            near[VIDEO_SCHEME] = encode_frames(frames)
    if has_audio(source):
        try:
            near |= near_audio(soundtrack_fingerprint(source))
        except UnreadableContent:
            if not near:
                raise
    return near


def decode_near(
    near: NearFingerprint,
) -> TextFingerprint | ImageFingerprint | AudioFingerprint | VideoFingerprint:
    """Decode ``near`` by its scheme; a scheme this version does not know is refused."""
    if near.scheme == TEXT_SHINGLE_SCHEME:
        return decode_text(near.data)
    if near.scheme == IMAGE_SCHEME:
        return decode_image(near.data)
    if near.scheme == AUDIO_SCHEME:
        return decode_audio(near.data)
    if near.scheme == VIDEO_SCHEME:
        return decode_frames(near.data)
    raise InvalidInput(
        f"unknown near-copy fingerprint scheme {near.scheme!r}",
        hint=f"this version of consentry reads {', '.join(NEAR_SCHEMES)}",
    )


NEAR_SCHEMES = (TEXT_SHINGLE_SCHEME, IMAGE_SCHEME, AUDIO_SCHEME, VIDEO_SCHEME)


def work_fingerprints(data: bytes, kind: WorkKind) -> Fingerprints:
    """Exact and near-copy fingerprints of a work's bytes, as the registry stores them."""
    exact = exact_fingerprints(data, kind)
    if kind is WorkKind.TEXT:
        near = encode_text(text_fingerprint(decode_text_bytes(data), with_content_hash=False))
    elif kind is WorkKind.IMAGE:
        image = work_fingerprint(data)
        if image.quality < WHOLE_MIN_QUALITY:  # flat: matched by its hashes only
            return exact
        near = encode_image(image)
    elif kind is WorkKind.AUDIO:
        return replace(exact, near=near_audio(audio_fingerprint(data)))
    elif kind is WorkKind.VIDEO:
        return replace(exact, near=near_video(data))
    else:
        return exact
    return replace(exact, near={near.scheme: near.data})
