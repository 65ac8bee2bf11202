"""Audio fingerprints through ``fpcalc`` on synthetic music, and bad input.

Needs Debian's ``libchromaprint-tools``: skipped when ``fpcalc`` is missing,
except under ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import io
import os
import wave

import numpy as np
import pytest

from consentry.errors import UnreadableContent
from consentry.fingerprint import audio
from consentry.fingerprint.audio import audio_fingerprint, audio_refusal
from consentry.matching.audio_index import AudioIndex
from consentry.matching.types import MatchKind

RATE = 22050
NOTES = [220, 247, 262, 294, 330, 349, 392, 440, 494, 523, 587, 659]

if audio.fpcalc_path() is None:
    if os.environ.get("CI") == "true":
        pytest.fail("fpcalc missing: CI must install libchromaprint-tools", pytrace=False)
    pytest.skip("fpcalc missing: apt-get install libchromaprint-tools", allow_module_level=True)


def music(seed: int, seconds: float) -> np.ndarray:
    """Quarter-second plucked notes with overtones and a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(RATE // 4) / RATE
    notes = []
    for _ in range(int(seconds * 4)):
        f = rng.choice(NOTES) * rng.choice([1, 2])
        tone = sum(a * np.sin(2 * np.pi * f * k * t) for k, a in ((1, 1), (1.5, 0.5), (2, 0.3)))
        notes.append(0.3 * np.exp(-6 * t) * tone + 0.02 * rng.standard_normal(len(t)))
    return np.concatenate(notes)


def wav(x: np.ndarray, rate: int = RATE) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())
    return out.getvalue()


def resample(x: np.ndarray, rate: int) -> np.ndarray:
    n = int(len(x) * rate / RATE)
    return np.asarray(np.interp(np.arange(n) * RATE / rate, np.arange(len(x)), x), np.float64)


@pytest.fixture(scope="module")
def index() -> AudioIndex:
    idx = AudioIndex()
    for n in range(4):
        idx.add(f"song{n}", audio_fingerprint(wav(music(n, 40))))
    idx.compact()
    return idx


def kind_of(index: AudioIndex, data: bytes) -> tuple[str, MatchKind] | None:
    matches = index.query(audio_fingerprint(data)).matches
    return (matches[0].work_id, matches[0].kind) if matches else None


def test_copies_resamples_volume_and_noise_match(index: AudioIndex) -> None:
    x = music(1, 40)
    noise = 0.05 * np.random.default_rng(5).standard_normal(len(x))
    assert kind_of(index, wav(x)) == ("song1", MatchKind.EXACT)
    assert kind_of(index, wav(resample(x, 8000), 8000)) == ("song1", MatchKind.NEAR)
    assert kind_of(index, wav(0.5 * x))[0] == "song1"  # type: ignore[index]
    assert kind_of(index, wav(x + noise))[0] == "song1"  # type: ignore[index]


@pytest.mark.parametrize("start", [0.0, 7.5, 13.3, 21.0])
def test_excerpts_match_with_their_offset(index: AudioIndex, start: float) -> None:
    x = music(2, 40)[int(start * RATE) : int((start + 15) * RATE)]
    (m,) = index.query(audio_fingerprint(wav(x))).matches
    assert (m.work_id, m.kind) == ("song2", MatchKind.EXCERPT)
    assert abs(float(m.evidence["work_offset_s"]) - start) < 1.0  # type: ignore[arg-type]


def test_work_inside_other_audio(index: AudioIndex) -> None:
    item = np.concatenate([music(50, 10), music(3, 40), music(51, 10)])
    (m,) = index.query(audio_fingerprint(wav(item))).matches
    assert (m.work_id, m.kind) == ("song3", MatchKind.EXCERPT)
    assert abs(float(m.evidence["item_offset_s"]) - 10) < 1.5  # type: ignore[arg-type]


def test_unrelated_music_does_not_match(index: AudioIndex) -> None:
    for seed in (100, 101, 102):
        assert index.query(audio_fingerprint(wav(music(seed, 30)))).matches == ()


def test_silence_tone_and_short_clips_are_refused() -> None:
    t = np.arange(RATE * 20) / RATE
    silence = audio_refusal(audio_fingerprint(wav(np.zeros(RATE * 20))))
    tone = audio_refusal(audio_fingerprint(wav(0.5 * np.sin(2 * np.pi * 440 * t))))
    short = audio_refusal(audio_fingerprint(wav(music(1, 2))))
    assert silence is not None and silence.startswith("low_information")
    assert tone is not None and tone.startswith("low_information")
    assert short is not None and short.startswith("too_short")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "unreadable:empty"),
        (b"not audio at all " * 200, "unreadable:cannot_decode"),
        (b"\x89PNG\r\n\x1a\n" + bytes(3000), "unreadable:cannot_decode"),
        (b"RIFF\xff\xff\xff\xffWAVEfmt " + bytes(20), "unreadable:cannot_decode"),
    ],
)
def test_bad_input_is_unreadable(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableContent, match=why):
        audio_fingerprint(data)


def test_truncated_file_is_unreadable_or_shorter() -> None:
    data = wav(music(1, 30))
    with pytest.raises(UnreadableContent, match="unreadable:cannot_decode"):
        audio_fingerprint(data[:40])
    early = audio_refusal(audio_fingerprint(data[:3000]))
    assert early is not None and early.startswith("too_short")
    cut = audio_fingerprint(data[: len(data) // 2])
    assert 13 < cut.duration < 17


def test_timeout_and_missing_fpcalc_are_named(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UnreadableContent, match="unreadable:timeout"):
        audio_fingerprint(wav(music(1, 600)), timeout=0.001)
    monkeypatch.setattr(audio, "fpcalc_path", lambda: None)
    with pytest.raises(UnreadableContent, match="unreadable:no_fpcalc"):
        audio_fingerprint(wav(music(1, 5)))
