"""Build (never ship) the audio dev set: registered tracks, transformed copies, unrelated audio.

Sources, all installable offline from Debian (licences in bench/AUDIO.md, read
from ``/usr/share/doc/<package>/copyright``)::

    apt-get install -y --no-install-recommends ffmpeg libchromaprint-tools \\
        $(cat bench/music-packages.txt bench/music-packages-more.txt)

Every music file of at least ``MIN_TRACK_S`` seconds under ``ROOTS``
is a track, cut to its first ``CLIP_S`` seconds; with a fixed seed, up to
``--works`` (at most half) are registered works and the rest are
unrelated (hard negatives: the same games, composers and styles). Positives:
each work under each transform (MP3 64k, Ogg ~48k, resample 22.05k/8k,
volume +-6 dB, white noise at 20 and 10 dB SNR, 10/15/30 s excerpts at random
offsets, a 30 s excerpt embedded between 10 s of unrelated music). Negatives:
each unrelated track whole and as 15 and 30 s windows at random offsets.
Written to ``bench/out/audio-devset/`` (``works/``, ``queries/``,
``manifest.jsonl``, ``sources.json``: package, version and count per role).

    .venv/bin/python bench/audio_devset.py [--out bench/out/audio-devset] [--seed 7] [--works 80]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np

from debian_sources import Packages

ROOTS = tuple(
    Path(f"/usr/share/{name}")
    for name in ("games", "freedroidrpg", "hyperrogue", "starfighter", "pachi")
)
MIN_TRACK_S = 40.0
RATE = 44100
TRACKER = {".it", ".xm", ".mod", ".s3m"}
SAMPLED = {".ogg", ".opus", ".mp3", ".flac", ".wav"}
CLIP_S = 90  # each track's first 90 s is the registered recording (keeps the build short)
FILLERS = 20  # unrelated tracks kept decoded for the embedded transform's surroundings
MIN_BYTES = 250_000  # skips the sound effects without probing each one
Audio = np.ndarray


def decode(path: Path) -> Audio:
    """The first ``CLIP_S`` seconds as mono float32 PCM at ``RATE``, via ffmpeg."""
    cmd = [
        "ffmpeg",
        "-v",
        "error",
        "-i",
        str(path),
        "-t",
        str(CLIP_S),
        "-ac",
        "1",
        "-ar",
        str(RATE),
    ]
    raw = subprocess.run([*cmd, "-f", "f32le", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.float32)


def write_wav(x: Audio, path: Path, rate: int = RATE) -> None:
    """16-bit mono WAV."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes((np.clip(x, -1, 1) * 32767).astype("<i2").tobytes())


def encode(x: Audio, path: Path, *args: str) -> None:
    """Write ``x`` through ffmpeg with extra output ``args`` (codec, rate)."""
    tmp = path.with_suffix(".src.wav")
    write_wav(x, tmp)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(tmp), *args, str(path)], check=True)
    tmp.unlink()


def noisy(x: Audio, snr_db: float, rng: np.random.Generator) -> Audio:
    """``x`` plus white noise at ``snr_db`` below its power."""
    power = float(np.mean(x.astype(np.float64) ** 2)) or 1e-6
    noise = rng.standard_normal(len(x)).astype(np.float32) * np.sqrt(power / 10 ** (snr_db / 10))
    return np.asarray(x + noise, np.float32)


def window(x: Audio, seconds: float, rng: random.Random) -> tuple[Audio, float]:
    """A ``seconds`` window of ``x`` at a random offset, and that offset."""
    start = rng.uniform(0, max(0.0, len(x) / RATE - seconds))
    return x[int(start * RATE) : int((start + seconds) * RATE)], start


def tracks() -> list[Path]:
    """Every music file under ``ROOTS`` lasting at least ``MIN_TRACK_S``, sorted, deduplicated."""
    found, seen = [], set()
    for path in sorted(p for root in ROOTS for p in root.rglob("*")):
        kind = path.suffix.lower()
        if kind not in TRACKER | SAMPLED or (kind in SAMPLED and path.stat().st_size < MIN_BYTES):
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        probe = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0"]
        out = subprocess.run([*probe, str(path)], capture_output=True, text=True).stdout.strip()
        try:
            if float(out) >= MIN_TRACK_S:
                found.append(path)
        except ValueError:
            continue
    return found


Make = Callable[[Audio, Path, random.Random, np.random.Generator], dict[str, object]]


def transforms(filler: Callable[[], Audio]) -> dict[str, Make]:
    """Each positive transform: writes the query file, returns its expected evidence."""

    def excerpt(seconds: float) -> Make:
        def make(
            x: Audio, out: Path, r: random.Random, g: np.random.Generator
        ) -> dict[str, object]:
            part, start = window(x, seconds, r)
            write_wav(part, out)
            return {"work_offset_s": start}

        return make

    def embedded(
        x: Audio, out: Path, r: random.Random, g: np.random.Generator
    ) -> dict[str, object]:
        part, start = window(x, 30, r)
        other = filler()
        write_wav(np.concatenate([other[: 10 * RATE], part, other[-10 * RATE :]]), out)
        return {"work_offset_s": start}

    def plain(f: Callable[[Audio, Path, np.random.Generator], None]) -> Make:
        def make(
            x: Audio, out: Path, r: random.Random, g: np.random.Generator
        ) -> dict[str, object]:
            f(x, out, g)
            return {"work_offset_s": 0.0}

        return make

    return {
        "mp3-64k": plain(lambda x, o, g: encode(x, o.with_suffix(".mp3"), "-b:a", "64k")),
        "ogg-q0": plain(lambda x, o, g: encode(x, o.with_suffix(".ogg"), "-q:a", "0")),
        "resample-22k": plain(lambda x, o, g: encode(x, o, "-ar", "22050")),
        "resample-8k": plain(lambda x, o, g: encode(x, o, "-ar", "8000")),
        "volume+6dB": plain(lambda x, o, g: write_wav(x * 2.0, o)),
        "volume-6dB": plain(lambda x, o, g: write_wav(x * 0.5, o)),
        "noise-20dB": plain(lambda x, o, g: write_wav(noisy(x, 20, g), o)),
        "noise-10dB": plain(lambda x, o, g: write_wav(noisy(x, 10, g), o)),
        "excerpt-10s": excerpt(10),
        "excerpt-15s": excerpt(15),
        "excerpt-30s": excerpt(30),
        "embedded-30s": embedded,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("bench/out/audio-devset"))
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--works", type=int, default=80)
    args = ap.parse_args()
    rng, g = random.Random(args.seed), np.random.default_rng(args.seed)
    found = tracks()
    rng.shuffle(found)
    half = min(args.works, len(found) // 2)
    works, others = found[:half], found[half:]
    (args.out / "queries").mkdir(parents=True, exist_ok=True)
    (args.out / "works").mkdir(parents=True, exist_ok=True)
    packages = Packages(tuple(str(r) for r in ROOTS))
    rows: list[dict[str, object]] = []
    fillers = [decode(p) for p in others[:FILLERS]]
    make = transforms(lambda: rng.choice(fillers))
    for n, path in enumerate(works):
        rows += _work_rows(args.out, n, path, packages.package(path), make, rng, g)
    for n, path in enumerate(others):
        rows += _negative_rows(args.out, n, path, packages.package(path), rng)
    with (args.out / "manifest.jsonl").open("w") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    used = [(p, "works") for p in works] + [(p, "unrelated") for p in others]
    table = packages.table(used)
    (args.out / "sources.json").write_text(json.dumps(table, indent=1))
    for line in table:
        print(line)
    print(f"{len(works)} works, {len(others)} unrelated tracks, {len(rows)} rows -> {args.out}")


def _work_rows(
    out: Path,
    n: int,
    path: Path,
    package: str,
    make: dict[str, Make],
    rng: random.Random,
    g: np.random.Generator,
) -> list[dict[str, object]]:
    """Register track ``path`` as work ``w{n}`` and write each transformed copy of it."""
    x = decode(path)
    work_file = out / "works" / f"w{n}.wav"
    write_wav(x, work_file)
    rows: list[dict[str, object]] = [
        {
            "role": "work",
            "id": f"w{n}",
            "file": str(work_file),
            "source": str(path),
            "package": package,
        }
    ]
    for name, f in make.items():
        extra = f(x, out / "queries" / f"w{n}-{name}.wav", rng, g)
        written = next(out.glob(f"queries/w{n}-{name}.*"))
        row = {"role": "positive", "work": f"w{n}", "transform": name, "file": str(written)}
        rows.append({**row, **extra})
    return rows


def _negative_rows(
    out: Path, n: int, path: Path, package: str, rng: random.Random
) -> list[dict[str, object]]:
    """Unrelated track ``path`` whole and as 15 and 30 s windows."""
    x = decode(path)
    rows: list[dict[str, object]] = []
    for seconds in (0, 15, 30):
        name = f"{seconds}s" if seconds else "whole"
        file = out / "queries" / f"n{n}-{name}.wav"
        write_wav(window(x, seconds, rng)[0] if seconds else x, file)
        transform = f"window-{seconds}s" if seconds else "whole"
        rows.append(
            {
                "role": "negative",
                "transform": transform,
                "file": str(file),
                "source": str(path),
                "package": package,
            }
        )
    return rows


if __name__ == "__main__":
    main()
