"""Build (never ship) the image dev set: registered photos, transformed copies, unrelated photos.

Sources, all installable offline (licences in bench/IMAGE.md, ``SOURCES`` and
``image_sources.EXTRA_NEGATIVES``)::

    apt-get install -y --no-install-recommends gnome-backgrounds mate-backgrounds \
        ukui-wallpapers lomiri-wallpapers lomiri-wallpapers-16.04 lomiri-wallpapers-20.04 \
        plasma-workspace-wallpapers sway-backgrounds desktop-base \
        debian-edu-artwork-emerald debian-edu-artwork-softwaves debian-edu-artwork-spacefun \
        $(.venv/bin/python bench/image_sources.py)

- photos (works and negatives, alternately): Debian's wallpaper packages
  (``/usr/share/backgrounds``, ``/usr/share/wallpapers``, ``/usr/share/desktop-base``),
  scikit-image's bundled data (``pip install scikit-image``; CC0 / public
  domain / BSD per ``skimage/data/README.txt``) and consentry's own
  ``src/consentry/samples/images`` (CC0 / public domain);
- negatives only: the Debian packages of ``image_sources.EXTRA_NEGATIVES``
  (game and artwork data: Tux Paint stamps, Wesnoth portraits, telescope
  photos, landscape photos, clip art, maps, textures; pictures at least
  ``MIN_EXTRA_SIDE`` px and at most ``MAX_EXTRA_PIXELS``, normal maps of 3D
  textures skipped) and scikit-image's ``lfw_subset.npy`` (200 Labeled Faces
  in the Wild crops: many similar-looking faces). A source that is not
  installed gives nothing; the works and positives never depend on them.

Near-duplicate sources (a wallpaper in two resolutions, light/dark variants)
are dropped: a photo within PDQ distance 90 of an earlier one (any
orientation) is skipped. Every other photo is a registered work or an
unrelated negative, alternately. Negatives also include the four quadrants
and the centre of every negative photo (hard negatives: same scene, same
colours), the extra negative sources above (also de-duplicated against
everything kept, works included) and the LFW faces. Positives: each work under each transform in
``TRANSFORMS``. Written to ``bench/out/image-devset/`` with ``manifest.jsonl``.

    .venv/bin/python bench/image_devset.py [--out bench/out/image-devset] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, ImageDraw, ImageOps

from consentry.errors import UnreadableContent
from image_sources import EXTRA_NEGATIVES, Source

ROOTS = (
    Path("/usr/share/backgrounds"),
    Path("/usr/share/wallpapers"),
    Path("/usr/share/desktop-base"),
)
MIN_EXTRA_SIDE = 200
MAX_EXTRA_PIXELS = 40_000_000  # a few packages ship 100+ MP maps: slow to decode, no new kind
# Where each source comes from and under what licence (also in bench/IMAGE.md).
SOURCES = {
    "/usr/share/backgrounds": "Debian gnome-backgrounds (CC-BY-SA-3.0), mate-backgrounds "
    "(GPL-2+), ukui-wallpapers (CC-BY-SA-3.0/4.0, CC-BY-4.0), lomiri-wallpapers{,-16.04,-20.04} "
    "(CC-BY-SA-3.0/4.0, CC-BY-4.0, CC0-1.0, Expat), sway-backgrounds (Expat, LGPL-2.1+)",
    "/usr/share/wallpapers": "Debian plasma-workspace-wallpapers (GPL-2+)",
    "/usr/share/desktop-base": "Debian desktop-base (GPL-2+, GPL-2, GPL-3+ or CC-BY-SA-3.0), "
    "debian-edu-artwork-{emerald,softwaves,spacefun} (GPL-2+)",
    "skimage": "scikit-image bundled data (CC0 / public domain / BSD, skimage/data/README.txt)",
    "samples": "consentry src/consentry/samples/images (CC0 / public domain, SOURCES.md)",
    **{s.label: f"Debian {s.package} ({s.licence})" for s in EXTRA_NEGATIVES},
    "lfw": "scikit-image lfw_subset.npy (Labeled Faces in the Wild, as redistributed there)",
}
SKIMAGE = Path(str(__import__("skimage").__file__)).parent / "data"
SAMPLES = Path(__file__).resolve().parents[1] / "src/consentry/samples/images"
EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp"}
MAX_SIDE = 1024
DUPLICATE_DISTANCE = 90
Transform = Callable[[Image.Image, random.Random], Image.Image]


def _jpeg(image: Image.Image, quality: int = 85) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def _crop(image: Image.Image, cut: float) -> Image.Image:
    w, h = image.size
    dx, dy = round(w * cut / 2), round(h * cut / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def _cut_side(image: Image.Image, rng: random.Random) -> Image.Image:
    w, h = image.size
    box = rng.choice(
        [(w // 5, 0, w, h), (0, 0, w - w // 5, h), (0, h // 5, w, h), (0, 0, w, h - h // 5)]
    )
    return image.crop(box)


def _banner(image: Image.Image, rng: random.Random) -> Image.Image:
    out = image.convert("RGB")
    w, h = out.size
    band = round(h * 0.12)
    top = rng.choice([0, h - band])
    draw = ImageDraw.Draw(out)
    draw.rectangle((0, top, w, top + band), fill=(20, 20, 20))
    draw.text((w // 20, top + band // 3), "SHARED FROM example.org  #photo", fill=(250, 250, 250))
    return out


def _gamma(image: Image.Image, rng: random.Random) -> Image.Image:
    g = rng.uniform(0.6, 1.6)
    return image.point([round(255 * (v / 255) ** g) for v in range(256)] * len(image.getbands()))


def _resize(image: Image.Image, rng: random.Random) -> Image.Image:
    s = rng.uniform(0.25, 2.0)
    return image.resize((max(8, round(image.width * s)), max(8, round(image.height * s))))


TRANSFORMS: dict[str, Transform] = {
    "re-encode": lambda im, r: im,  # the quality is drawn at save time
    "resize": _resize,
    "grayscale": lambda im, r: ImageOps.grayscale(im),
    "gamma": _gamma,
    "mirror": lambda im, r: ImageOps.mirror(im),
    "rot90": lambda im, r: im.rotate(90, expand=True),
    "rot180": lambda im, r: im.rotate(180),
    "rot270": lambda im, r: im.rotate(270, expand=True),
    "crop-10%": lambda im, r: _crop(im, 0.10),
    "crop-25%": lambda im, r: _crop(im, 0.25),
    "border-10%": lambda im, r: ImageOps.expand(
        im, border=im.width // 10, fill=r.choice([(255, 255, 255), (0, 0, 0), (200, 180, 150)])
    ),
    "cut-20%": _cut_side,
    "banner": _banner,
    "rotate-5deg": lambda im, r: im.rotate(r.choice([-5, 5]), resample=Image.Resampling.BICUBIC),
}


def _pdq_variants(image: Image.Image) -> np.ndarray:
    variants, _ = pdqhash.compute_dihedral(np.asarray(image.convert("RGB"), dtype=np.uint8))
    return np.packbits(np.stack([np.asarray(v, dtype=np.uint8) for v in variants]), axis=1)


def _open(path: Path, min_side: int, max_pixels: int | None = None) -> Image.Image | None:
    """The picture at ``path`` (alpha composited on white, at most ``MAX_SIDE``), or None.

    None also when a side is under ``min_side`` or it has over ``max_pixels``
    (both read from the header, before decoding).
    """
    try:
        opened = Image.open(path)
        w, h = opened.size
        if min(w, h) < min_side or (max_pixels is not None and w * h > max_pixels):
            return None
        opened.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
        image = ImageOps.exif_transpose(opened)
        if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
            rgba = image.convert("RGBA")
            image = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
        image = image.convert("RGB")
    except (OSError, ValueError, UnreadableContent, Image.DecompressionBombError):
        return None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    return image if min(image.size) >= min_side else None


class _Unique:
    """Keeps one of each group of near-duplicates (PDQ distance <= 90, any orientation)."""

    def __init__(self) -> None:
        self.seen = np.zeros((1024, 4), np.uint64)  # PDQ of each kept picture, 4 words
        self.count = 0

    def new(self, image: Image.Image) -> bool:
        """True (and remembered) when ``image`` is no near-duplicate of one kept before."""
        bits = _pdq_variants(image).view(np.uint64)  # its 8 orientations
        seen = self.seen[: self.count]
        dist = np.bitwise_count(seen[:, None, :] ^ bits[None, :, :]).sum(axis=2, dtype=np.int32)
        if dist.size and int(dist.min()) <= DUPLICATE_DISTANCE:
            return False
        if self.count == self.seen.shape[0]:
            self.seen = np.concatenate([self.seen, np.zeros_like(self.seen)])
        self.seen[self.count] = bits[0]
        self.count += 1
        return True


def _label(path: Path) -> tuple[str, str]:
    """(name, source) of a photo: the name from its last path parts, unique across sources."""
    for root in ROOTS:
        if path.is_relative_to(root):
            return "-".join(path.relative_to(root).with_suffix("").parts[-4:]), str(root)
    return f"{path.parent.name}-{path.stem}", "skimage" if path.is_relative_to(
        SKIMAGE
    ) else "samples"


def photos(unique: _Unique) -> list[tuple[str, str, Image.Image]]:
    """Every source photo as (name, source, image), near-duplicates dropped."""
    paths = [p for root in ROOTS for p in sorted(root.rglob("*")) if p.suffix.lower() in EXTENSIONS]
    paths += sorted(SKIMAGE.glob("*.png")) + sorted(SKIMAGE.glob("*.jpg"))
    paths += sorted(SAMPLES.glob("*.jpg"))
    kept: list[tuple[str, str, Image.Image]] = []
    for path in paths:
        image = _open(path, 64)
        if image is not None and unique.new(image):
            kept.append((*_label(path), image))
    return kept


def _normal_map(image: Image.Image) -> bool:
    """A 3D texture's normal map (mean colour near (128, 128, 255)): data, not a picture."""
    r, g, b = np.asarray(image.reduce(8) if min(image.size) >= 64 else image).mean(axis=(0, 1))
    return bool(abs(r - 128) < 32 and abs(g - 128) < 32 and b > 192)


def _pictures(source: Source) -> Iterator[tuple[Path, Image.Image]]:
    """A source's pictures that qualify (size, not a normal map), in path order."""
    for path in sorted(source.root.rglob("*")):
        if path.suffix.lower() in EXTENSIONS:
            image = _open(path, MIN_EXTRA_SIDE, MAX_EXTRA_PIXELS)
            if image is not None and not _normal_map(image):
                yield path, image


def extra_negatives(
    unique: _Unique, sources: Sequence[Source] = EXTRA_NEGATIVES[:2]
) -> list[tuple[str, str, Image.Image]]:
    """``sources``' pictures as a list; by default the first two (Tux Paint, Wesnoth).

    The video dev set's unrelated films use these (``bench/video_devset.py``),
    held in memory; the image dev set streams every source with
    :func:`iter_extra_negatives`.
    """
    return list(iter_extra_negatives(unique, sources))


def iter_extra_negatives(
    unique: _Unique, sources: Sequence[Source] = EXTRA_NEGATIVES
) -> Iterator[tuple[str, str, Image.Image]]:
    """The negative-only sources' pictures (see :func:`_pictures`), de-duplicated.

    Names are the source label and the last three path parts, made unique
    with a counter where two files would share one (``a.png`` and ``a.jpg``).
    Yielded one at a time: thousands of decoded pictures do not fit in memory.
    """
    names: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        for source in sources:
            for path, image in _pictures(source):
                if unique.new(image):
                    stem = "-".join(path.relative_to(source.root).with_suffix("").parts[-3:])
                    name = f"{source.label}-{stem}"
                    name = f"{name}~{len(names)}" if name in names else name
                    names.add(name)
                    yield name, source.label, image


def faces() -> list[Image.Image]:
    """The 200 LFW faces, upscaled to 128 px (similar-looking hard negatives)."""
    arrays = np.load(SKIMAGE / "lfw_subset.npy")
    return [
        Image.fromarray((a * 255).astype(np.uint8)).resize((128, 128), Image.Resampling.BICUBIC)
        for a in arrays
    ]


def build(out: Path, seed: int) -> dict[str, int]:
    """Write works, positives and negatives under ``out``; return their counts."""
    rng = random.Random(seed)
    for sub in ("works", "positives", "negatives"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []

    def write(sub: str, name: str, data: bytes, **extra: str) -> None:
        (out / sub / f"{name}.jpg").write_bytes(data)
        rows.append({"set": sub, "file": f"{sub}/{name}.jpg", **extra})

    unique = _Unique()
    for n, (name, source, image) in enumerate(photos(unique)):
        if n % 2 == 0:
            write("works", name, _jpeg(image, 92), work=name, source=source)
            for t, transform in TRANSFORMS.items():
                q = rng.randint(30, 90) if t == "re-encode" else 85
                write(
                    "positives",
                    f"{name}--{t}",
                    _jpeg(transform(image, rng), q),
                    work=name,
                    transform=t,
                )
        else:
            write("negatives", name, _jpeg(image), kind="photo", source=source)
            w, h = image.size
            boxes = [(0, 0, w // 2, h // 2), (w // 2, 0, w, h // 2), (0, h // 2, w // 2, h)]
            boxes += [(w // 2, h // 2, w, h), (w // 4, h // 4, w * 3 // 4, h * 3 // 4)]
            for i, box in enumerate(boxes):
                data = _jpeg(image.crop(box))
                write("negatives", f"{name}--tile{i}", data, kind="tile", source=source)
    for name, source, image in iter_extra_negatives(unique):
        write("negatives", name, _jpeg(image), kind=source, source=source)
    for i, face in enumerate(faces()):
        write("negatives", f"lfw-{i:03d}", _jpeg(face), kind="face", source="lfw")
    (out / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return {s: sum(r["set"] == s for r in rows) for s in ("works", "positives", "negatives")}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("bench/out/image-devset"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(build(args.out, args.seed)))


if __name__ == "__main__":
    main()
