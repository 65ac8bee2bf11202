"""Audio end to end: a registered recording is found in a scanned corpus, resampled and cut."""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from consentry.actions import parties, works
from consentry.actions.match import match_files
from consentry.actions.workspace import Workspace, init
from consentry.domain import PartyKind

if shutil.which("fpcalc") is None and os.environ.get("CI") != "true":
    pytest.skip("fpcalc is not installed (Debian libchromaprint-tools)", allow_module_level=True)


def _music(seconds: float, rate: int, seed: int) -> np.ndarray:
    """A melody of random notes with harmonics: enough structure for Chromaprint."""
    rng = np.random.default_rng(seed)
    notes = 220.0 * 2 ** (rng.integers(0, 24, int(seconds * 4)) / 12)
    t = np.arange(int(rate / 4)) / rate
    parts = [sum(np.sin(2 * np.pi * f * k * t) / k for k in (1, 2, 3)) for f in notes]
    envelope = np.minimum(1, np.linspace(0, 8, t.size)) * np.exp(-3 * t)
    return np.concatenate([p * envelope for p in parts]) * 0.3


def _wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "log.key"))
    workspace = init(database_url)
    parties.add_party(workspace, "Mo Tune", PartyKind.CREATOR, party_id="p_mo")
    yield workspace
    workspace.close()


def test_a_resampled_excerpt_of_a_registered_recording_is_found(
    ws: Workspace, tmp_path: Path
) -> None:
    song = _music(40, 22050, seed=1)
    works.add_work(
        ws,
        _wav(tmp_path / "song.wav", song, 22050),
        title="Song",
        work_id="song",
        creators=[{"name": "Mo Tune"}],
    )
    excerpt = song[22050 * 10 : 22050 * 30][::2]  # 20 s, resampled to 11,025 Hz
    item = _wav(tmp_path / "clip.wav", excerpt, 11025)
    other = _wav(tmp_path / "other.wav", _music(20, 22050, seed=2), 22050)
    found = {f.path.name: f.result for f in match_files(ws, [item, other])}
    assert [m.work_id for m in found["clip.wav"].matches] == ["song"]
    assert found["other.wav"].matches == ()
