"""Build (never ship) the image dev set: registered photos, transformed copies, unrelated photos.

Sources, all installable offline (licences in bench/IMAGE.md):

- Debian ``gnome-backgrounds`` (CC-BY-SA-3.0), ``mate-backgrounds`` (GPL-2+),
  ``ukui-wallpapers`` (CC-BY-SA-3.0/4.0, CC-BY-4.0), ``lomiri-wallpapers``
  (CC-BY-SA-3.0): ``apt-get install -y --no-install-recommends gnome-backgrounds
  mate-backgrounds ukui-wallpapers lomiri-wallpapers`` (``/usr/share/backgrounds``);
- scikit-image's bundled data (``pip install scikit-image``; CC0 / public
  domain / BSD per ``skimage/data/README.txt``), including ``lfw_subset.npy``
  (200 Labeled Faces in the Wild crops: many similar-looking faces);
- consentry's own ``src/consentry/samples/images`` (CC0 / public domain).

Near-duplicate sources (a wallpaper in two resolutions, light/dark variants)
are dropped: a photo within PDQ distance 90 of an earlier one (any
orientation) is skipped. Every other photo is a registered work or an
unrelated negative, alternately. Negatives also include the four quadrants
and the centre of every negative photo (hard negatives: same scene, same
colours) and the LFW faces. Positives: each work under each transform in
``TRANSFORMS``. Written to ``bench/out/image-devset/`` with ``manifest.jsonl``.

    .venv/bin/python bench/image_devset.py [--out bench/out/image-devset] [--seed 7]
"""

from __future__ import annotations

import argparse
import io
import json
import random
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pdqhash
from PIL import Image, ImageDraw, ImageOps

from consentry.errors import UnreadableContent

ROOTS = (Path("/usr/share/backgrounds"),)
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
    return np.stack([np.asarray(v, dtype=np.uint8) for v in variants])


def photos() -> list[tuple[str, Image.Image]]:
    """Every source photo (decoded, at most ``MAX_SIDE``), near-duplicates dropped."""
    paths = [p for root in ROOTS for p in sorted(root.rglob("*")) if p.suffix.lower() in EXTENSIONS]
    paths += sorted(SKIMAGE.glob("*.png")) + sorted(SKIMAGE.glob("*.jpg"))
    paths += sorted(SAMPLES.glob("*.jpg"))
    kept: list[tuple[str, Image.Image]] = []
    seen: list[np.ndarray] = []
    for path in paths:
        try:
            opened = Image.open(path)
            opened.draft("RGB", (MAX_SIDE * 2, MAX_SIDE * 2))
            image = ImageOps.exif_transpose(opened.convert("RGB"))
        except (OSError, UnreadableContent):
            continue
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if min(image.size) < 64:
            continue
        bits = _pdq_variants(image)
        if any(int((s[0] != bits).sum(axis=1).min()) <= DUPLICATE_DISTANCE for s in seen):
            continue
        seen.append(bits)
        kept.append((f"{path.parent.name}-{path.stem}", image))
    return kept


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

    for n, (name, image) in enumerate(photos()):
        if n % 2 == 0:
            write("works", name, _jpeg(image, 92), work=name)
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
            write("negatives", name, _jpeg(image), kind="photo")
            w, h = image.size
            boxes = [(0, 0, w // 2, h // 2), (w // 2, 0, w, h // 2), (0, h // 2, w // 2, h)]
            boxes += [(w // 2, h // 2, w, h), (w // 4, h // 4, w * 3 // 4, h * 3 // 4)]
            for i, box in enumerate(boxes):
                write("negatives", f"{name}--tile{i}", _jpeg(image.crop(box)), kind="tile")
    for i, face in enumerate(faces()):
        write("negatives", f"lfw-{i:03d}", _jpeg(face), kind="face")
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
