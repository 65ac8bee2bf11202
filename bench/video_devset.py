"""Build (never ship) the video dev set: slideshow films of real photos and real music.

Sources, all installable offline (licences in bench/VIDEO.md):

- pictures: the image dev set's (``bench/image_devset``): its photos
  (``photos``: Debian wallpaper packages, scikit-image's data) for works and
  then unrelated films, and its negative-only pictures (``extra_negatives``:
  Tux Paint stamps, Wesnoth art) for unrelated films only; near-duplicates
  dropped across all of them. Packages: see bench/IMAGE.md;
- music: Debian game music, the packages in ``bench/music-packages.txt``
  (the audio dev set's first list; files of other packages are skipped, so
  that installing more keeps this set as it is), sampled files of at least
  ``CLIP_S`` + 1 seconds, each used once.

Each film is ``CLIP_S`` seconds at ``SIZE`` and ``FPS``: ``PHOTOS`` photos,
each shown for an equal share with a slow zoom and pan (Ken Burns, so that
frames change over time as in real footage), and its own music track (films
past the tracks are silent). With a fixed seed, ``--works`` films, spread
evenly among them, are registered works (H.264 CRF 18 + FLAC in Matroska) and
the rest are unrelated (hard negatives: the same wallpaper collections and
game soundtracks). Positives: each work under each transform in
``TRANSFORMS`` (re-encodes, resizes, black bars into 4:3, a frame-rate change,
30 and 45 s excerpts at random offsets, a mirror image, a centre crop).
Negatives: each unrelated film whole and as a 30 s window. Written to
``bench/out/video-devset/`` with one ``manifest-<shard>.jsonl`` per shard, a
film's rows appended as it is done (a build stopped early still gives a
usable, balanced set); PyAV does all encoding. Shards (``--shard i/k``) can run in parallel.

    .venv/bin/python bench/video_devset.py [--out DIR] [--seed 7] [--works 40] [--films N]
        [--shard 0/1] [--more N [--promote M] | --transforms NAME ...]

``--transforms`` adds only the named transforms' positives to a set built
before they existed (``manifest-extra-<shard>.jsonl``; works, other positives
and negatives are left as they are): the films are re-derived from the same
seeds, and the files are named as a full build names them. ``--more N
--promote M`` turns ``M`` of those ``N`` further films (spread evenly) into
works, to grow the works without new pictures (every picture is in some
film): each is re-derived from its seed, its work file and positives are
added (``manifest-promoted-<shard>.jsonl``), and ``bench_video.py`` drops its
negatives (its earlier whole-film negative is the same file as its new
H.264 CRF 35 positive, byte for byte in the decoded frames).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import random
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from debian_sources import Packages
from image_devset import _Unique, extra_negatives, photos  # the image dev set's sources

MUSIC = (Path("/usr/share/games"), Path("/usr/share/freedroidrpg"))
MUSIC_PACKAGES = Path(__file__).with_name("music-packages.txt")
CLIP_S = 60
FPS = 10
SIZE = (320, 180)
PHOTOS = 3
RATE = 22050
MIN_MUSIC_BYTES = 250_000


@dataclass(frozen=True)
class Encoding:
    """How one file is written: container, codecs, size, frame rate, options."""

    container: str = "matroska"
    video: str = "libx264"
    audio: str = "flac"
    size: tuple[int, int] = SIZE
    fps: int = FPS
    options: tuple[tuple[str, str], ...] = (("crf", "18"), ("preset", "veryfast"))
    bit_rate: int = 0
    letterbox: int = 0  # black rows above and below the picture, in output pixels
    mirror: bool = False  # flipped left-right
    crop: float = 0.0  # this share of each side cut off (half at each edge), scaled back


ORIGINAL = Encoding()
TRANSFORMS: dict[str, tuple[Encoding, float]] = {
    "h264 crf 35 + aac": (
        Encoding("mp4", audio="aac", options=(("crf", "35"), ("preset", "veryfast"))),
        0,
    ),
    "vp8 250 kb/s + opus": (
        Encoding(
            "webm",
            "libvpx",
            "libopus",
            options=(("deadline", "realtime"), ("cpu-used", "8")),
            bit_rate=250_000,
        ),
        0,
    ),
    "mpeg4 + mp3 (avi-era)": (Encoding("matroska", "mpeg4", "libmp3lame", options=()), 0),
    "resize 160x90": (
        Encoding(
            "mp4", audio="aac", size=(160, 90), options=(("crf", "28"), ("preset", "veryfast"))
        ),
        0,
    ),
    "resize 480x270": (
        Encoding(
            "mp4", audio="aac", size=(480, 270), options=(("crf", "28"), ("preset", "veryfast"))
        ),
        0,
    ),
    "letterbox 320x240": (
        Encoding(
            "mp4",
            audio="aac",
            size=(320, 240),
            options=(("crf", "28"), ("preset", "veryfast")),
            letterbox=30,
        ),
        0,
    ),
    "frame rate 5 fps": (
        Encoding("mp4", audio="aac", fps=5, options=(("crf", "28"), ("preset", "veryfast"))),
        0,
    ),
    "excerpt 30 s": (
        Encoding("mp4", audio="aac", options=(("crf", "28"), ("preset", "veryfast"))),
        30,
    ),
    "excerpt 45 s": (
        Encoding("mp4", audio="aac", options=(("crf", "28"), ("preset", "veryfast"))),
        45,
    ),
    "mirror": (
        Encoding("mp4", audio="aac", options=(("crf", "28"), ("preset", "veryfast")), mirror=True),
        0,
    ),
    "crop 10% centre": (
        Encoding("mp4", audio="aac", options=(("crf", "28"), ("preset", "veryfast")), crop=0.1),
        0,
    ),
}
NEGATIVE_WINDOW_S = 30


def ken_burns(images: list[Image.Image], rng: random.Random, fps: int) -> Iterator[np.ndarray]:
    """``CLIP_S`` seconds of RGB frames: each photo zooming 100% -> 80% towards a random point."""
    per = CLIP_S * fps // len(images)
    w, h = SIZE
    for image in images:
        src = image.convert("RGB")
        ratio = w / h
        cw = min(src.width, round(src.height * ratio))
        ch = round(cw / ratio)
        fx, fy = rng.random(), rng.random()
        for i in range(per):
            z = 1.0 - 0.2 * i / per
            bw, bh = cw * z, ch * z
            left = (src.width - bw) * fx
            top = (src.height - bh) * fy
            box = (left, top, left + bw, top + bh)
            yield np.asarray(src.resize(SIZE, Image.Resampling.BILINEAR, box=box), np.uint8)


def music_tracks(packages: Packages) -> list[Path]:
    """Sampled music files of at least ``CLIP_S`` + 1 s under ``MUSIC`` from ``MUSIC_PACKAGES``."""
    wanted = set(MUSIC_PACKAGES.read_text().split())
    found = []
    for path in sorted(p for root in MUSIC for p in root.rglob("*")):
        if path.suffix.lower() not in {".ogg", ".opus", ".mp3", ".flac"}:
            continue
        if path.stat().st_size < MIN_MUSIC_BYTES or packages.package(path) not in wanted:
            continue
        try:
            with av.open(str(path), metadata_errors="replace") as box:
                seconds = (box.duration or 0) / av.time_base
        except av.error.FFmpegError:
            continue
        if seconds >= CLIP_S + 1:
            found.append(path)
    return found


def decode_music(path: Path) -> np.ndarray:
    """The first ``CLIP_S`` seconds as mono int16 at ``RATE``."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    chunks = []
    with av.open(str(path), metadata_errors="replace") as box:
        for frame in box.decode(audio=0):
            for out in resampler.resample(frame):
                chunks.append(out.to_ndarray().reshape(-1))
            if sum(len(c) for c in chunks) >= CLIP_S * RATE:
                break
    return np.concatenate(chunks)[: CLIP_S * RATE]


def write(path: Path, frames: list[np.ndarray], sound: np.ndarray | None, enc: Encoding) -> None:
    """Encode ``frames`` (at ``FPS``) and ``sound`` with ``enc`` (resized, resampled in time)."""
    with av.open(str(path), mode="w", format=enc.container) as box:
        vs = box.add_stream(enc.video, rate=enc.fps)
        vs.width, vs.height, vs.pix_fmt = enc.size[0], enc.size[1], "yuv420p"
        vs.options = dict(enc.options)
        if enc.bit_rate:
            vs.bit_rate = enc.bit_rate
        audio_rate = 48000 if enc.audio == "libopus" else RATE
        aus = box.add_stream(enc.audio, rate=audio_rate) if sound is not None else None
        if aus is not None and enc.audio == "aac":
            aus.options = {"aac_coder": "fast"}  # the default two-loop coder is 2x slower
        step = FPS / enc.fps
        for i in range(int(len(frames) / step)):
            pixels = _reframe(frames[int(i * step)], enc)
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            box.mux(vs.encode(frame.reformat(width=enc.size[0], height=enc.size[1])))
        box.mux(vs.encode(None))
        if aus is not None and sound is not None:
            _sound(box, aus, sound, audio_rate)


def _reframe(pixels: np.ndarray, enc: Encoding) -> np.ndarray:
    """The picture cropped, mirrored and letterboxed as ``enc`` says (in that order)."""
    if enc.crop:
        h, w = pixels.shape[:2]
        dx, dy = round(w * enc.crop / 2), round(h * enc.crop / 2)
        inner = Image.fromarray(pixels[dy : h - dy, dx : w - dx])
        pixels = np.asarray(inner.resize((w, h), Image.Resampling.BILINEAR))
    if enc.mirror:
        pixels = np.ascontiguousarray(pixels[:, ::-1])
    return _letterbox(pixels, enc) if enc.letterbox else pixels


def _letterbox(pixels: np.ndarray, enc: Encoding) -> np.ndarray:
    """The picture scaled into ``enc.size`` less the bars, on black."""
    w, h = enc.size
    canvas = np.zeros((h, w, 3), np.uint8)
    inner = Image.fromarray(pixels).resize((w, h - 2 * enc.letterbox), Image.Resampling.BILINEAR)
    canvas[enc.letterbox : h - enc.letterbox] = np.asarray(inner)
    return canvas


def _sound(
    box: av.container.OutputContainer, stream: av.AudioStream, pcm: np.ndarray, rate: int
) -> None:
    """Mux mono int16 ``pcm`` (at ``RATE``) through ``stream``, resampled to its format and rate."""
    size = stream.codec_context.frame_size or 1024
    resampler = av.AudioResampler(
        format=stream.codec_context.format.name, layout="mono", rate=rate, frame_size=size
    )
    for start in range(0, len(pcm), 1024):
        chunk = np.ascontiguousarray(pcm[start : start + 1024].reshape(1, -1))
        frame = av.AudioFrame.from_ndarray(chunk, format="s16", layout="mono")
        frame.sample_rate, frame.time_base, frame.pts = RATE, Fraction(1, RATE), start
        for out in resampler.resample(frame):
            box.mux(stream.encode(out))
    for out in resampler.resample(None):
        box.mux(stream.encode(out))
    box.mux(stream.encode(None))


Picture = tuple[str, str, Image.Image]


def pictures_cached(path: Path) -> tuple[list[Picture], list[Picture]]:
    """The image dev set's photos and its negative-only pictures, near-duplicates dropped.

    Works are cut from the photos (wallpapers, scikit-image); unrelated films
    use the photos left over and then the negative-only sources (Tux Paint
    stamps, Wesnoth art), as the image dev set does. Finding them takes minutes,
    so the first shard to need them pickles them at ``path`` for the others.
    """
    if path.exists():
        cached: tuple[list[Picture], list[Picture]] = pickle.loads(path.read_bytes())
        return cached
    unique = _Unique()
    both = (photos(unique), extra_negatives(unique))
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(both))
    tmp.replace(path)
    return both


def is_work(n: int, films: int, works: int) -> bool:
    """Whether film ``n`` of ``films`` is registered: ``works`` of them, spread evenly.

    Spread (not the first ``works``) so that any prefix of the films, such as a
    build stopped early, holds works and unrelated films in the same proportion.
    """
    return (n * works) // films != ((n + 1) * works) // films


def promoted(n: int, films: int, promote: int) -> bool:
    """Whether the ``n``-th of ``films`` further films is promoted to a work (spread evenly)."""
    return promote > 0 and is_work(n, films, promote)


def _mine(films: range, index: int, count: int, promote: int) -> list[int]:
    """Shard ``index`` of ``count``'s films: every ``count``-th (of the promoted ones alone
    with ``promote``, which are mostly every other film, so both shards get half)."""
    chosen = [n for i, n in enumerate(films) if not promote or promoted(i, len(films), promote)]
    return chosen[index::count]


def build(
    out: Path,
    seed: int,
    n_works: int,
    n_films: int,
    shard: tuple[int, int],
    more: int = 0,
    only: tuple[str, ...] = (),
    promote: int = 0,
) -> None:
    """Write this shard's films: ``works/``, ``queries/`` and ``manifest-<shard>.jsonl``.

    Film ``n`` uses its own random stream (seeded by ``seed`` and ``n``), so
    shards built in parallel give the same files as one process would. With
    ``more``, only ``more`` further unrelated films after the ``n_films`` are
    built (``manifest-more-<shard>.jsonl``), leaving the first ones as they are.
    With ``only``, only the works' positives under those transforms are built
    (``manifest-extra-<shard>.jsonl``). With ``promote`` (and ``more``),
    ``promote`` of those ``more`` films, spread evenly, become works: their
    work file and positives are built from the same film
    (``manifest-promoted-<shard>.jsonl``); the bench drops their negatives.
    """
    rng = random.Random(seed)
    (out / "works").mkdir(parents=True, exist_ok=True)
    (out / "queries").mkdir(parents=True, exist_ok=True)
    pictures, extra = pictures_cached(out / "pictures.pickle")
    rng.shuffle(pictures)
    rng.shuffle(extra)
    n_works = min(n_works, len(pictures) // PHOTOS)
    work_pool, negative_pool = pictures[: n_works * PHOTOS], pictures[n_works * PHOTOS :] + extra
    most = n_works + len(negative_pool) // PHOTOS
    films = min(n_films or most, most)
    packages = Packages(tuple(str(r) for r in MUSIC))
    tracks = music_tracks(packages)
    rng.shuffle(tracks)
    print(
        f"{len(pictures)}+{len(extra)} photos, {len(tracks)} tracks: {films} films, {n_works} works"
    )
    index, count = shard
    first, last = (films, min(films + more, most)) if more else (0, films)
    kind = "promoted-" if promote else "more-" if more else "extra-" if only else ""
    with (out / f"manifest-{kind}{index}.jsonl").open("w") as fh:
        for n in _mine(range(first, last), index, count, promote):
            listed = n < films and is_work(n, films, n_works)
            work = listed or (n >= films and promoted(n - first, last - first, promote))
            if (only or promote) and not work:
                continue
            before = ((n + 1) * n_works) // films if n < films else n_works  # works in 0..n
            pool, at = (work_pool, before - 1) if listed else (negative_pool, n - before)
            group = pool[at * PHOTOS : (at + 1) * PHOTOS]
            rows = _film(out, n, group, tracks, packages, seed, work, only)
            fh.writelines(json.dumps(r) + "\n" for r in rows)
            fh.flush()
            print(f"film{n:03d}: {len(rows)} files", flush=True)


def _film(
    out: Path,
    n: int,
    group: list[tuple[str, str, Image.Image]],
    tracks: list[Path],
    packages: Packages,
    seed: int,
    work: bool,
    only: tuple[str, ...] = (),
) -> list[dict[str, object]]:
    """Film ``n`` of the photos ``group``: its work and positives, or its negatives
    (with ``only``: its positives under those transforms alone)."""
    rng = random.Random(f"{seed}:{n}")
    frames = list(ken_burns([g[2] for g in group], rng, FPS))
    track = tracks[n] if n < len(tracks) else None
    sound = decode_music(track) if track is not None else None
    name = f"film{n:03d}"
    source = {
        "photos": [g[0] for g in group],
        "photo_sources": [g[1] for g in group],
        "music": str(track) if track else None,
        "music_package": packages.package(track) if track else None,
    }
    if not work:
        return _negatives(out, name, frames, sound, rng, source)
    if only:
        return _positives(out, name, frames, sound, rng, only)
    write(out / "works" / f"{name}.mkv", frames, sound, ORIGINAL)
    rows: list[dict[str, object]] = [
        {"set": "work", "film": name, "file": f"works/{name}.mkv", **source}
    ]
    return rows + _positives(out, name, frames, sound, rng)


def _cut(frames: list[np.ndarray], sound: np.ndarray | None, start: float, seconds: float):
    part = frames[round(start * FPS) : round((start + seconds) * FPS)]
    audio = None if sound is None else sound[round(start * RATE) : round((start + seconds) * RATE)]
    return part, audio


def _positives(
    out: Path, name: str, frames, sound, rng: random.Random, only: tuple[str, ...] = ()
) -> list[dict[str, object]]:
    """The work's copies under every transform (or those in ``only``; the random draws
    and the file numbers are a full build's either way)."""
    rows: list[dict[str, object]] = []
    for number, (t, (enc, seconds)) in enumerate(TRANSFORMS.items()):
        start = rng.uniform(0, CLIP_S - seconds) if seconds else 0.0
        if only and t not in only:
            continue
        part, audio = _cut(frames, sound, start, seconds) if seconds else (frames, sound)
        ext = {"matroska": "mkv", "mp4": "mp4", "webm": "webm"}[enc.container]
        file = f"queries/{name}-{number}.{ext}"
        write(out / file, part, audio, enc)
        rows.append(
            {
                "set": "positive",
                "work": name,
                "transform": t,
                "file": file,
                "work_offset_s": round(start, 2),
                "has_sound": sound is not None,
            }
        )
    return rows


def _negatives(
    out: Path, name: str, frames, sound, rng: random.Random, source
) -> list[dict[str, object]]:
    enc = TRANSFORMS["h264 crf 35 + aac"][0]
    rows: list[dict[str, object]] = []
    for t, seconds in (("whole 60 s", 0), (f"window {NEGATIVE_WINDOW_S} s", NEGATIVE_WINDOW_S)):
        start = rng.uniform(0, CLIP_S - seconds) if seconds else 0.0
        part, audio = _cut(frames, sound, start, seconds) if seconds else (frames, sound)
        file = f"queries/{name}-n{len(rows)}.mp4"
        write(out / file, part, audio, enc)
        rows.append(
            {
                "set": "negative",
                "film": name,
                "transform": t,
                "file": file,
                "has_sound": sound is not None,
                **source,
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/video-devset"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--works", type=int, default=40)
    parser.add_argument("--films", type=int, default=0, help="0: as many as the photos allow")
    parser.add_argument("--shard", default="0/1", help="i/k: build films n with n %% k == i")
    parser.add_argument("--more", type=int, default=0, help="only N more unrelated films")
    parser.add_argument(
        "--transforms", nargs="*", default=[], help="only the works' copies under these"
    )
    parser.add_argument(
        "--promote", type=int, default=0, help="with --more: N of those films become works"
    )
    args = parser.parse_args()
    unknown = set(args.transforms) - set(TRANSFORMS)
    if unknown:
        parser.error(f"unknown transforms {sorted(unknown)}; known: {list(TRANSFORMS)}")
    index, count = (int(x) for x in args.shard.split("/"))
    only = tuple(args.transforms)
    if args.promote and not args.more:
        parser.error("--promote needs --more (the films it picks from)")
    build(
        args.out, args.seed, args.works, args.films, (index, count), args.more, only, args.promote
    )


if __name__ == "__main__":
    main()
