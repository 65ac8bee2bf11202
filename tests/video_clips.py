"""Tiny synthetic videos for the video tests: panning random scenes, a melody, black frames.

Every clip is made here, in memory, with PyAV: a few seconds at low resolution
and frame rate, so the tests stay fast. Scenes are random block textures
(high PDQ quality) that pan a little every frame, cut every ``scene_s``
seconds, so that frames differ over time as in a real video.
"""

from __future__ import annotations

import io
import wave
from fractions import Fraction

import av
import numpy as np

RATE = 22050


def music(seed: int, seconds: float) -> np.ndarray:
    """Quarter-second random notes with overtones: enough structure for Chromaprint."""
    rng = np.random.default_rng(seed)
    notes = 220.0 * 2 ** (rng.integers(0, 24, int(seconds * 4)) / 12)
    t = np.arange(RATE // 4) / RATE
    parts = [sum(np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3)) for f in notes]
    envelope = np.minimum(1, np.linspace(0, 8, t.size)) * np.exp(-3 * t)
    return np.concatenate([p * envelope for p in parts]) * 0.3


def wav(x: np.ndarray) -> bytes:
    """16-bit mono WAV bytes."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def scenes(seed: int, seconds: float, fps: int, size: tuple[int, int], scene_s: float = 3.0):
    """RGB frames: a new random texture every ``scene_s`` seconds, panning 1 px a frame."""
    w, h = size
    rng = np.random.default_rng(seed)
    texture = np.zeros((1, 1, 3), np.uint8)
    for i in range(round(seconds * fps)):
        if i % max(1, round(scene_s * fps)) == 0:
            small = rng.integers(0, 256, (h // 6 + 2, w // 6 + 8, 3), dtype=np.uint8)
            texture = np.kron(small, np.ones((6, 6, 1), np.uint8))
        shift = i % max(1, round(scene_s * fps))
        yield np.ascontiguousarray(texture[:h, shift : shift + w])


def black(seconds: float, fps: int, size: tuple[int, int]):
    """Black frames."""
    for _ in range(round(seconds * fps)):
        yield np.zeros((size[1], size[0], 3), np.uint8)


def clip(
    frames,
    *,
    fps: int = 4,
    size: tuple[int, int] = (96, 64),
    sound: np.ndarray | None = None,
    codec: str = "mpeg4",
    container: str = "matroska",
    gop: int = 8,
) -> bytes:
    """Encode ``frames`` (RGB arrays) and an optional mono ``sound`` into a video file."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as box:
        vs = box.add_stream(codec, rate=fps)
        vs.width, vs.height, vs.pix_fmt = size[0], size[1], "yuv420p"
        vs.codec_context.gop_size = gop
        aus = (
            box.add_stream("aac" if container == "mp4" else "flac", rate=RATE)
            if sound is not None
            else None
        )
        for rgb in frames:
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(
                width=size[0], height=size[1]
            )
            box.mux(vs.encode(frame))
        box.mux(vs.encode(None))
        if aus is not None and sound is not None:
            _mux_sound(box, aus, sound)
    return out.getvalue()


def _mux_sound(box, stream, sound: np.ndarray) -> None:
    pcm = (np.clip(sound, -1, 1) * 32767).astype("<i2").reshape(1, -1)
    size = 1024
    for start in range(0, pcm.shape[1], size):
        chunk = pcm[:, start : start + size]
        if stream.codec_context.name == "aac" and chunk.shape[1] < size:
            chunk = np.pad(chunk, ((0, 0), (0, size - chunk.shape[1])))
        frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
        frame.sample_rate, frame.time_base, frame.pts = RATE, Fraction(1, RATE), start
        box.mux(stream.encode(frame))
    box.mux(stream.encode(None))
