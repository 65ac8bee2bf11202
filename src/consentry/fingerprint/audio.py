"""Audio fingerprints: Chromaprint sub-fingerprints from Debian's ``fpcalc``.

Chromaprint turns audio into one 32-bit integer per 0.1238 s frame (16
chroma filters, two bits each); re-encodes, resamples, volume changes and
noise flip few bits, different recordings about half of the bits that
vary (steady sounds hold most bits still, and still bits agree by chance:
the matcher scores agreement beyond chance, see
:func:`consentry.matching.audio_index.agreement_beyond_chance`). ``fpcalc`` decodes
with FFmpeg, so every container it reads (WAV, FLAC, MP3, Ogg, and the
soundtrack of a video) works; it runs as a subprocess with a time limit,
because a hostile file must not hang a scan.

Low-information audio (silence, a steady tone, clips under about 3 s)
gives a constant or near-constant sequence that would match any other
silence; :func:`audio_refusal` names it so the matcher refuses it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from consentry.errors import UnreadableContent

FRAME_SECONDS = 4096 / 3 / 11025
"""Seconds between two Chromaprint sub-fingerprints (1365.33 samples at 11,025 Hz)."""

MIN_SECONDS = 3.0
MIN_DISTINCT = 0.1
MAX_SECONDS = 4 * 3600
TIMEOUT_SECONDS = 120.0
AUDIO_SCHEME = "chromaprint-v1"


@dataclass(frozen=True, slots=True)
class AudioFingerprint:
    """The Chromaprint sub-fingerprints of one item and its decoded duration."""

    codes: npt.NDArray[np.uint32]
    duration: float
    scheme: str = AUDIO_SCHEME


def unreadable(why: str, detail: str) -> UnreadableContent:
    """An :class:`UnreadableContent` whose message starts with ``unreadable:<why>``."""
    return UnreadableContent(f"unreadable:{why}: {detail}")


def fpcalc_path() -> str | None:
    """The ``fpcalc`` executable on PATH, or ``None`` (install libchromaprint-tools)."""
    return shutil.which("fpcalc")


def audio_fingerprint(data: bytes, *, timeout: float = TIMEOUT_SECONDS) -> AudioFingerprint:
    """Fingerprint audio (or a video's soundtrack) given as file bytes.

    Raises :class:`UnreadableContent` (``unreadable:no_fpcalc``, ``empty``,
    ``cannot_decode``, ``timeout``) instead of returning a guess. Audio too
    short for Chromaprint (under about 3 s, or a file cut that early) gives
    no codes, which :func:`audio_refusal` names ``too_short``.
    """
    if not data:
        raise unreadable("empty", "no bytes")
    with tempfile.TemporaryDirectory(prefix="consentry-audio-") as tmp:
        path = Path(tmp) / "item"
        path.write_bytes(data)
        return audio_fingerprint_file(path, timeout=timeout)


def audio_fingerprint_file(path: Path, *, timeout: float = TIMEOUT_SECONDS) -> AudioFingerprint:
    """Fingerprint the audio file at ``path``; see :func:`audio_fingerprint`."""
    exe = fpcalc_path()
    if exe is None:
        raise unreadable("no_fpcalc", "fpcalc not found; install Debian's libchromaprint-tools")
    cmd = [exe, "-raw", "-json", "-length", str(MAX_SECONDS), str(path)]
    try:
        # A fixed executable and an argument list, no shell: the path is ours.
        run = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)  # noqa: S603
    except subprocess.TimeoutExpired as exc:
        raise unreadable("timeout", f"fpcalc ran past {timeout:g} s") from exc
    if b"Empty fingerprint" in run.stderr:
        return AudioFingerprint(codes=np.zeros(0, np.uint32), duration=0.0)
    try:
        out = json.loads(run.stdout)
        codes = np.array(out["fingerprint"], dtype=np.int64).astype(np.uint32)
        duration = float(out["duration"])
    except (ValueError, KeyError, TypeError) as exc:
        detail = run.stderr.decode("utf-8", "replace").strip()[-200:] or "no fingerprint"
        raise unreadable("cannot_decode", detail) from exc
    return AudioFingerprint(codes=codes, duration=duration)


def audio_refusal(fp: AudioFingerprint) -> str | None:
    """Why ``fp`` carries too little information to match, or ``None``.

    ``too_short``: under :data:`MIN_SECONDS`. ``low_information``: fewer than
    :data:`MIN_DISTINCT` of the frames are distinct (silence and steady tones
    give one repeated value; music gives nearly all distinct).
    """
    n = len(fp.codes)
    if fp.duration < MIN_SECONDS or n * FRAME_SECONDS < MIN_SECONDS - 1:
        return f"too_short: {fp.duration:.1f} s"
    distinct = len(np.unique(fp.codes)) / n
    if distinct < MIN_DISTINCT:
        return f"low_information: {distinct:.0%} distinct frames"
    return None
