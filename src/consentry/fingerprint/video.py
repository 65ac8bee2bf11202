"""Video: the soundtrack through the audio matcher, keyframes for the image matcher.

A film or clip is matched by its parts: the soundtrack's Chromaprint codes
(``fpcalc`` reads video containers directly) and its keyframes as images,
which the image fingerprint then hashes. Decoding uses PyAV (FFmpeg bundled
in its wheels); only keyframes are decoded, at most ``max_frames`` and at
least ``min_gap`` seconds apart, so a long or hostile file costs bounded time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import av
from PIL import Image

from consentry.fingerprint.audio import AudioFingerprint, audio_fingerprint, unreadable
from consentry.fingerprint.exact import MAX_IMAGE_PIXELS

MAX_FRAMES = 200
MIN_GAP_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class Keyframe:
    """One decoded keyframe and where it stands in the video (seconds)."""

    time: float
    image: Image.Image


def soundtrack_fingerprint(data: bytes) -> AudioFingerprint:
    """The Chromaprint fingerprint of a video's soundtrack; ``unreadable:no_audio`` if none."""
    if not _streams(data)[1]:
        raise unreadable("no_audio", "the video has no audio stream")
    return audio_fingerprint(data)


def keyframes(
    data: bytes, *, max_frames: int = MAX_FRAMES, min_gap: float = MIN_GAP_SECONDS
) -> Iterator[Keyframe]:
    """The video's keyframes as RGB images with their times, in order.

    Raises :class:`~consentry.errors.UnreadableContent` (``cannot_decode``,
    ``no_video``, ``too_large``) rather than yielding a partial guess at the start.
    """
    if not _streams(data)[0]:
        raise unreadable("no_video", "no video stream")
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            stream = container.streams.video[0]
            if stream.width * stream.height > MAX_IMAGE_PIXELS:
                raise unreadable("too_large", f"{stream.width}x{stream.height} frames")
            stream.codec_context.skip_frame = "NONKEY"
            last, count = -min_gap, 0
            for frame in container.decode(stream):
                t = float(frame.time or 0.0)
                if t - last < min_gap:
                    continue
                yield Keyframe(t, frame.to_image().convert("RGB"))  # type: ignore[no-untyped-call]
                last, count = t, count + 1
                if count >= max_frames:
                    return
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise unreadable("cannot_decode", str(exc)[:200]) from exc


def _streams(data: bytes) -> tuple[int, int]:
    """How many (video, audio) streams the container holds."""
    if not data:
        raise unreadable("empty", "no bytes")
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            return len(container.streams.video), len(container.streams.audio)
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise unreadable("cannot_decode", str(exc)[:200]) from exc
