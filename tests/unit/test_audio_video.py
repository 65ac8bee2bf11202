"""Video: keyframes with their times, the soundtrack through the audio matcher, bad input.

The soundtrack tests need ``fpcalc`` (Debian's libchromaprint-tools): skipped
when it is missing, except under ``CI=true``.
"""

from __future__ import annotations

import io
import itertools
import os
import wave
from fractions import Fraction

import av
import numpy as np
import pytest

from consentry.errors import UnreadableContent
from consentry.fingerprint import audio
from consentry.fingerprint.video import keyframes, soundtrack_fingerprint
from consentry.matching.audio_index import AudioIndex

RATE = 22050


def music(seed: int, seconds: float) -> np.ndarray:
    """Quarter-second random notes with overtones (as in test_audio_fingerprint)."""
    rng = np.random.default_rng(seed)
    t = np.arange(RATE // 4) / RATE
    notes = [
        0.3 * np.exp(-6 * t) * np.sin(2 * np.pi * rng.choice([220, 262, 330, 392, 440, 523]) * t)
        for _ in range(int(seconds * 4))
    ]
    return np.concatenate(notes)


def wav(x: np.ndarray) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


NEEDS_FPCALC = pytest.mark.skipif(
    audio.fpcalc_path() is None and os.environ.get("CI") != "true",
    reason="fpcalc missing: apt-get install libchromaprint-tools",
)


def video(seconds: int, sound: np.ndarray | None = None, fps: int = 5) -> bytes:
    """A small MPEG-4 clip of changing colours, with ``sound`` as its soundtrack."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="matroska") as box:
        vs = box.add_stream("mpeg4", rate=fps)
        vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
        vs.codec_context.gop_size = fps * 2
        aus = box.add_stream("flac", rate=RATE) if sound is not None else None
        for i in range(seconds * fps):
            rgb = np.full((48, 64, 3), (i * 7 % 256, i * 13 % 256, 128), np.uint8)
            box.mux(vs.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        box.mux(vs.encode(None))
        if aus is not None and sound is not None:
            pcm = (np.clip(sound, -1, 1) * 32767).astype("<i2").reshape(1, -1)
            for start in range(0, pcm.shape[1], 4096):
                frame = av.AudioFrame.from_ndarray(
                    pcm[:, start : start + 4096], format="s16", layout="mono"
                )
                frame.sample_rate, frame.time_base = RATE, Fraction(1, RATE)
                frame.pts = start
                box.mux(aus.encode(frame))
            box.mux(aus.encode(None))
    return out.getvalue()


def test_keyframes_come_with_times_and_are_bounded() -> None:
    frames = list(keyframes(video(20), max_frames=5))
    assert len(frames) == 5
    assert frames[0].image.size == (64, 48) and frames[0].image.mode == "RGB"
    times = [f.time for f in frames]
    assert times == sorted(times) and all(b - a >= 2.0 for a, b in itertools.pairwise(times))


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "unreadable:empty"),
        (b"definitely not a video" * 50, "unreadable:cannot_decode"),
        (wav(music(1, 5)), "unreadable:no_video"),
    ],
)
def test_bad_video_is_unreadable(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableContent, match=why):
        list(keyframes(data))


def test_truncated_video_yields_what_it_can_or_names_why() -> None:
    data = video(20)
    try:
        frames = list(keyframes(data[: len(data) // 2]))
    except UnreadableContent as exc:
        assert str(exc).startswith("unreadable:")
    else:
        assert len(frames) < len(list(keyframes(data)))


def test_silent_video_has_no_soundtrack() -> None:
    with pytest.raises(UnreadableContent, match="unreadable:no_audio"):
        soundtrack_fingerprint(video(5))


@NEEDS_FPCALC
def test_soundtrack_matches_the_registered_recording() -> None:
    index = AudioIndex()
    index.add("song", audio.audio_fingerprint(wav(music(4, 30))))
    index.compact()
    (m,) = index.query(soundtrack_fingerprint(video(30, music(4, 30)))).matches
    assert m.work_id == "song" and m.score > 0.95
