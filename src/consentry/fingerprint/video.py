"""Video: sampled frames for the image matchers, the soundtrack for the audio matcher.

A film or clip is matched by its parts. Its picture: one frame every
``step`` seconds (``WORK_STEP`` for a registered work, ``QUERY_STEP`` for a
corpus item) is decoded with PyAV (FFmpeg bundled in its wheels), downscaled
to at most ``FRAME_SIZE`` a side and hashed with PDQ, the image scheme's
hash. Consecutive frames within ``SAME_DISTANCE`` bits of the last one kept
are one *segment* (a hash and the time range it stands for), so a still
shot costs one hash and a busy one a hash per step. Frames whose PDQ quality
is under the image scheme's ``MIN_QUALITY`` (black, flat, fades) are dropped:
they would match any other black frame. Black bars (letterbox, pillarbox) are
cut off every frame before it is hashed (:func:`trim_bars`). Its soundtrack: Chromaprint codes
(``fpcalc`` reads video containers), the audio scheme unchanged.

A corpus item (``work=False``) is also hashed mirrored (left-right, the
common way a re-upload dodges matching): each segment keeps the PDQ of its
first frame flipped in ``mirrored``, which the matcher aligns as a second
orientation. Both come from one luma array with
:func:`~consentry.fingerprint.image_pdq.mirror_buffers` (the same bits as
``pdqhash``, cheaper than it for one orientation). Works are hashed as
before, with ``pdqhash``, and only their unmirrored frames are stored.

Scheme ``video-frames-v1`` (see :func:`encode_frames`). Decoding is bounded:
a frame larger than ``MAX_IMAGE_PIXELS`` (in the container's header or in the
bitstream) is refused as ``too_large`` before it is converted; at most
``max_samples`` frames are hashed (the step widens for long videos); after
``pixel_budget`` decoded pixels (a frame counts at least ``MIN_FRAME_PIXELS``)
only keyframes are decoded; nothing past ``MAX_SECONDS`` of stream time nor
past ``MAX_DECODED_FRAMES`` decoded frames is read. A file cut short gives
the frames before the cut.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from av.video.reformatter import Interpolation, VideoReformatter
from PIL import Image

from consentry.errors import InvalidInput
from consentry.fingerprint import image_pdq
from consentry.fingerprint.audio import (
    MAX_SECONDS,
    AudioFingerprint,
    audio_fingerprint,
    audio_fingerprint_file,
    unreadable,
)
from consentry.fingerprint.exact import MAX_IMAGE_PIXELS
from consentry.fingerprint.image import MIN_QUALITY

VIDEO_SCHEME = "video-frames-v1"
FRAME_SIZE = 256
WORK_STEP = 0.5
QUERY_STEP = 1.0
WORK_SAMPLES = 14_400
QUERY_SAMPLES = 900
WORK_PIXELS = 60_000_000_000
QUERY_PIXELS = 4_000_000_000
MAX_DECODED_FRAMES = 300_000
MIN_FRAME_PIXELS = 64 * 64
SAME_DISTANCE = 12
BAR_LEVEL = 40
MIN_INFORMATIVE = 3
_HEADER = struct.Struct("<dI")
_POP = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint8)
Source = bytes | Path
U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class VideoFingerprint:
    """PDQ hashes (``uint8[n, 32]``) of a video's segments and the times they cover.

    ``starts[i]``..``ends[i]`` (seconds) is the run of sampled frames that
    segment ``i`` stands for; ``informative`` counts the sampled frames that
    were not dropped as flat, and ``duration`` is the last decoded frame's time.
    ``mirrored`` (a query's only, never stored): each segment's hash of its
    first frame flipped left-right, row for row with ``hashes``.
    """

    hashes: U8
    starts: F32
    ends: F32
    duration: float
    informative: int
    scheme: str = VIDEO_SCHEME
    mirrored: U8 | None = None

    def __len__(self) -> int:
        return int(self.hashes.shape[0])


def hamming(a: U8, b: U8) -> int:
    """Differing bits between two packed 256-bit hashes."""
    return int(_POP[np.bitwise_xor(a, b)].sum())


def frames_refusal(fp: VideoFingerprint) -> str | None:
    """Why ``fp``'s picture carries too little to match (black, flat, too short), or None."""
    if fp.informative < MIN_INFORMATIVE or len(fp) == 0:
        return f"low_information: {fp.informative} informative frames"
    return None


def frames_fingerprint(source: Source, *, work: bool = True) -> VideoFingerprint:
    """The ``video-frames-v1`` fingerprint of a video file (bytes or a path).

    ``work`` chooses the registered work's dense sampling, else a corpus
    item's, which also hashes every frame mirrored (``mirrored``). Raises
    :class:`~consentry.errors.UnreadableContent` (``empty``, ``cannot_decode``,
    ``no_video``, ``too_large``).
    """
    step, samples, budget = (
        (WORK_STEP, WORK_SAMPLES, WORK_PIXELS)
        if work
        else (QUERY_STEP, QUERY_SAMPLES, QUERY_PIXELS)
    )
    hashes: list[U8] = []
    flipped: list[U8] = []
    starts: list[float] = []
    ends: list[float] = []
    informative, last = 0, 0.0
    for t, pixels in sample_frames(source, step=step, max_samples=samples, pixel_budget=budget):
        last = max(last, t)
        packed, mirror, quality = _hash(trim_bars(pixels), work)
        if quality < MIN_QUALITY:
            continue
        informative += 1
        if hashes and ends[-1] >= t - 2 * step and hamming(hashes[-1], packed) <= SAME_DISTANCE:
            ends[-1] = t
            continue
        hashes.append(packed)
        if mirror is not None:
            flipped.append(mirror)
        starts.append(t)
        ends.append(t)
    return VideoFingerprint(
        _stack(hashes),
        np.array(starts, np.float32),
        np.array(ends, np.float32),
        last,
        informative,
        mirrored=None if work else _stack(flipped),
    )


def _stack(hashes: list[U8]) -> U8:
    return np.stack(hashes) if hashes else np.zeros((0, 32), np.uint8)


def sample_frames(
    source: Source, *, step: float, max_samples: int, pixel_budget: int
) -> Iterator[tuple[float, U8]]:
    """The first frame at or after every multiple of ``step`` seconds, as small RGB arrays."""
    with _open(source) as container:
        if not container.streams.video:
            raise unreadable("no_video", "no video stream")
        stream = container.streams.video[0]
        _check_size(stream.codec_context.width, stream.codec_context.height)
        stream.codec_context.options = {"max_pixels": str(MAX_IMAGE_PIXELS)}  # the bitstream's too
        duration = _duration(container, stream)
        if duration > 0:
            step = max(step, duration / max_samples)
        decoded, count, due = 0, 0, 0.0
        scaler = VideoReformatter()  # one scaling context for every frame (10x faster)
        for seen, frame in enumerate(_decode(container, stream)):
            _check_size(frame.width, frame.height)
            if seen >= MAX_DECODED_FRAMES:
                return
            decoded += max(frame.width * frame.height, MIN_FRAME_PIXELS)
            if decoded > pixel_budget:
                stream.codec_context.skip_frame = "NONKEY"
            t = max(0.0, float(frame.time or 0.0))
            if t > MAX_SECONDS or count >= max_samples:
                return
            if t + 1e-6 < due:
                continue
            yield t, _small(frame, scaler)
            count += 1
            due = (int(t / step + 1e-6) + 1) * step


def _open(source: Source) -> av.container.InputContainer:
    """Open ``source`` for reading (UnreadableContent when FFmpeg cannot)."""
    if isinstance(source, bytes) and not source:
        raise unreadable("empty", "no bytes")
    target: io.BytesIO | str = io.BytesIO(source) if isinstance(source, bytes) else str(source)
    try:  # tags that are not UTF-8 (old Latin-1 titles) must not make a video unreadable
        container = av.open(target, mode="r", metadata_errors="replace")
    except (av.error.FFmpegError, ValueError, OSError) as exc:
        raise unreadable("cannot_decode", str(exc)[:200]) from exc
    if not isinstance(container, av.container.InputContainer):
        raise unreadable("cannot_decode", "not a readable container")
    return container


def _decode(
    container: av.container.InputContainer, stream: av.VideoStream
) -> Iterator[av.VideoFrame]:
    """Decoded frames; a decoding error after the first frame ends the video (a cut file)."""
    seen = False
    frames = container.decode(stream)
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            return
        except (av.error.FFmpegError, ValueError, OSError) as exc:
            if seen:
                return
            raise unreadable("cannot_decode", str(exc)[:200]) from exc
        seen = True
        yield frame


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    """The video's announced duration in seconds (0 when the container does not say)."""
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return 0.0


def trim_bars(pixels: U8) -> U8:
    """The picture inside black bars (letterbox, pillarbox): edge rows and columns darker
    than ``BAR_LEVEL`` everywhere are cut, unless that would leave under half a side.

    Applied to work and query frames alike, so a copy re-framed with bars hashes
    as its source does.
    """
    h, w = pixels.shape[:2]
    rows = np.flatnonzero(pixels.reshape(h, -1).max(axis=1) >= BAR_LEVEL)  # contiguous: fast
    cols = np.flatnonzero(pixels.max(axis=0).max(axis=1) >= BAR_LEVEL)
    if len(rows) == 0:
        return pixels
    top, bottom, left, right = int(rows[0]), int(rows[-1]) + 1, int(cols[0]), int(cols[-1]) + 1
    if (bottom - top) * 2 < h or (right - left) * 2 < w:
        return pixels
    return np.ascontiguousarray(pixels[top:bottom, left:right])


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS:
        raise unreadable(
            "too_large", f"{width}x{height} frames (limit {MAX_IMAGE_PIXELS:,} pixels)"
        )


def _small(frame: av.VideoFrame, scaler: VideoReformatter) -> U8:
    """The frame as RGB, at most ``FRAME_SIZE`` on its longer side (area-averaged)."""
    w, h = frame.width, frame.height
    scale = min(1.0, FRAME_SIZE / max(w, h, 1))
    out = scaler.reformat(
        frame,
        width=max(1, round(w * scale)),
        height=max(1, round(h * scale)),
        format="rgb24",
        interpolation=Interpolation.AREA,
    )
    return np.ascontiguousarray(out.to_ndarray(), dtype=np.uint8)


def frame_hash(pixels: U8) -> tuple[U8, int]:
    """The packed PDQ hash (``uint8[32]``) of RGB ``pixels`` and its PDQ quality (0-100).

    ``pdqhash`` itself: how every stored work frame is hashed.
    """
    import pdqhash

    bits, quality = pdqhash.compute(pixels)
    return np.packbits(np.asarray(bits, dtype=np.uint8)), int(quality)


def _hash(pixels: U8, work: bool) -> tuple[U8, U8 | None, int]:
    """A frame's PDQ hash, its mirror image's (a query's only, else None) and its quality.

    A query's two come from :mod:`~consentry.fingerprint.image_pdq` (the same bits
    as ``pdqhash``); a work's from ``pdqhash``, as stored since ``video-frames-v1``.
    """
    if work:
        packed, quality = frame_hash(pixels)
        return packed, None, quality
    buffers = image_pdq.mirror_buffers(image_pdq.luma(Image.fromarray(pixels)))
    both = image_pdq.hashes(buffers)
    return both[0], both[1], int(image_pdq.quality(buffers[:1])[0])


def has_audio(source: Source) -> bool:
    """Whether the container holds an audio stream (UnreadableContent if it cannot be opened)."""
    with _open(source) as container:
        return bool(container.streams.audio)


def soundtrack_fingerprint(source: Source) -> AudioFingerprint:
    """The Chromaprint fingerprint of a video's soundtrack; ``unreadable:no_audio`` if none."""
    if not has_audio(source):
        raise unreadable("no_audio", "the video has no audio stream")
    if isinstance(source, bytes):
        return audio_fingerprint(source)
    return audio_fingerprint_file(source)


def encode_frames(fp: VideoFingerprint) -> bytes:
    """``video-frames-v1`` bytes, little-endian: f64 duration, u32 n, n f32 starts,
    n f32 ends, n x 32 bytes of PDQ hashes (informative frames are not kept)."""
    n = len(fp)
    return b"".join(
        (
            _HEADER.pack(fp.duration, n),
            fp.starts.astype("<f4").tobytes(),
            fp.ends.astype("<f4").tobytes(),
            fp.hashes.astype(np.uint8).tobytes(),
        )
    )


def decode_frames(data: bytes) -> VideoFingerprint:
    """The :class:`VideoFingerprint` in ``data``; InvalidInput when it is malformed."""
    if len(data) < _HEADER.size:
        raise InvalidInput(f"the {VIDEO_SCHEME} fingerprint is truncated")
    duration, n = _HEADER.unpack_from(data)
    if n == 0 or len(data) != _HEADER.size + 40 * n:
        raise InvalidInput(f"the {VIDEO_SCHEME} fingerprint's size does not match its count")
    at = _HEADER.size
    starts = np.frombuffer(data, "<f4", n, at).astype(np.float32)
    ends = np.frombuffer(data, "<f4", n, at + 4 * n).astype(np.float32)
    hashes = np.frombuffer(data, np.uint8, 32 * n, at + 8 * n).reshape(n, 32).copy()
    if not (np.all(np.isfinite(starts)) and np.all(ends >= starts) and np.all(starts >= 0)):
        raise InvalidInput(f"the {VIDEO_SCHEME} fingerprint's times are out of order")
    if np.any(np.diff(starts) < 0):
        raise InvalidInput(f"the {VIDEO_SCHEME} fingerprint's times are out of order")
    return VideoFingerprint(hashes, starts, ends, float(duration), n)
