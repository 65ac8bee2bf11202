"""Near-copy fingerprints of images: PDQ hashes of the whole picture and of its regions.

Scheme ``image-pdq-v1``. Decoding is defensive (see :func:`load_image`); the
picture is hashed with PDQ (Meta's 256-bit perceptual hash, via ``pdqhash``),
which survives re-encoding, resizing, grayscale and gamma. Two more stages
make it survive what PDQ alone does not:

* mirrors and quarter turns: a query is hashed in all eight orientations
  (PDQ's dihedral variants), a work only once;
* crops, borders, one-sided cuts, banners: a work is also hashed over
  ``WORK_REGIONS`` (centre crops, one-sided cuts, corners), and a query over
  ``QUERY_REGIONS`` (its centre with borders trimmed, each side cut), so that
  a cropped copy meets a region of the work and a bordered copy's centre
  meets the whole work;
* small rotations: PDQ tolerates about 1.5 degrees, so a work is also hashed
  turned by each of ``WORK_ANGLES`` (centre ``ROTATED_BOX``, which drops the
  filled corners), to meet the same centre region of a query turned 1-7 degrees.

Images whose PDQ quality is below ``MIN_QUALITY`` (flat colour, near-uniform)
carry too little to match and are refused rather than matched.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

from consentry.errors import UnreadableContent
from consentry.fingerprint.exact import MAX_IMAGE_PIXELS

IMAGE_SCHEME = "image-pdq-v1"
DECODE_SIZE = 512
ORIENT_SIZE = DECODE_SIZE
MIN_QUALITY = 50
Box = tuple[float, float, float, float]  # left, top, right, bottom as fractions

WHOLE: Box = (0.0, 0.0, 1.0, 1.0)
WORK_REGIONS: tuple[Box, ...] = (
    WHOLE,
    (0.125, 0.125, 0.875, 0.875),
    (0.075, 0.075, 0.925, 0.925),
    (0.2, 0.0, 1.0, 1.0),
    (0.0, 0.0, 0.8, 1.0),
    (0.0, 0.2, 1.0, 1.0),
    (0.0, 0.0, 1.0, 0.8),
    (0.0, 0.15, 1.0, 1.0),
    (0.0, 0.0, 1.0, 0.85),
    (0.0, 0.0, 0.8, 0.8),
    (0.2, 0.0, 1.0, 0.8),
    (0.0, 0.2, 0.8, 1.0),
    (0.2, 0.2, 1.0, 1.0),
    # Centre crops every 1.25% of margin: PDQ tolerates about that much misalignment.
    *((m, m, 1 - m, 1 - m) for m in (0.0125, 0.025, 0.0375, 0.05, 0.0625, 0.0875, 0.1, 0.1125)),
)
WORK_ANGLES: tuple[float, ...] = (-6.0, -4.0, -2.0, 2.0, 4.0, 6.0)
ROTATED_BOX: Box = (1 / 12, 1 / 12, 11 / 12, 11 / 12)
QUERY_REGIONS: tuple[Box, ...] = (
    (1 / 12, 1 / 12, 11 / 12, 11 / 12),
    (0.04, 0.04, 0.96, 0.96),
    (0.125, 0.125, 0.875, 0.875),
    (0.0, 0.15, 1.0, 1.0),
    (0.0, 0.0, 1.0, 0.85),
)


@dataclass(frozen=True, slots=True)
class ImageFingerprint:
    """PDQ hashes (``uint8[n, 32]``) of an image's regions, and its PDQ quality."""

    scheme: str
    hashes: npt.NDArray[np.uint8]
    quality: int

    def __len__(self) -> int:
        return int(self.hashes.shape[0])


def load_image(data: bytes) -> Image.Image:
    """Decode ``data`` to RGB at most ``DECODE_SIZE`` on its longer side, or UnreadableContent.

    EXIF orientation is applied; the first frame of an animation is taken;
    transparency is composited on white; CMYK, palette and 16-bit images are
    converted; a header claiming more than ``MAX_IMAGE_PIXELS`` is refused
    before any pixel is decoded; a truncated file is refused, not guessed.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise UnreadableContent(
                    f"too_large: {image.width}x{image.height} pixels (limit {MAX_IMAGE_PIXELS:,})"
                )
            image.draft("RGB", (DECODE_SIZE, DECODE_SIZE))
            image.seek(0)
            image.load()
            return _to_rgb(ImageOps.exif_transpose(image))
        except UnreadableContent:
            raise
        except (UnidentifiedImageError, OSError, ValueError, EOFError, SyntaxError) as exc:
            raise UnreadableContent(f"cannot decode image: {exc}") from exc
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            raise UnreadableContent(f"too_large: {exc}") from exc


def _to_rgb(image: Image.Image) -> Image.Image:
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        array = np.asarray(image, dtype=np.float64)
        top = max(float(array.max()), 1.0)
        image = Image.fromarray((array * (255.0 / top)).astype(np.uint8))
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(canvas, rgba)
    image = image.convert("RGB")
    image.thumbnail((DECODE_SIZE, DECODE_SIZE))
    return image


def _trim_border(image: Image.Image) -> Image.Image | None:
    """The picture inside a uniform border (the corner pixel's colour), if it has one."""
    background = Image.new("RGB", image.size, image.getpixel((0, 0)))
    spread = ImageChops.difference(image, background).convert("L").point(lambda v: 255 * (v > 24))
    box = spread.getbbox()
    if box is None:
        return None
    left, top, right, bottom = box
    kept = (right - left) * (bottom - top) / (image.width * image.height)
    return image.crop(box) if 0.3 < kept < 0.97 else None


def _crop(image: Image.Image, box: Box) -> npt.NDArray[np.uint8]:
    w, h = image.size
    left, top, right, bottom = box
    region = image.crop((round(left * w), round(top * h), round(right * w), round(bottom * h)))
    return np.asarray(region, dtype=np.uint8)


def _pdq(pixels: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.uint8], int]:
    import pdqhash

    bits, quality = pdqhash.compute(pixels)
    return np.packbits(np.asarray(bits, dtype=np.uint8)), int(quality)


def work_fingerprint(data: bytes) -> ImageFingerprint:
    """The ``image-pdq-v1`` fingerprint a registered work is indexed by.

    Rows: one hash per ``WORK_REGIONS`` box, then one per ``WORK_ANGLES`` turn.
    """
    image = load_image(data)
    packed, qualities = zip(*(_pdq(_crop(image, box)) for box in WORK_REGIONS), strict=True)
    turned = [
        _pdq(_crop(image.rotate(angle, Image.Resampling.BICUBIC), ROTATED_BOX))[0]
        for angle in WORK_ANGLES
    ]
    return ImageFingerprint(IMAGE_SCHEME, np.stack([*packed, *turned]), int(qualities[0]))


def query_fingerprint(data: bytes) -> ImageFingerprint:
    """The hashes a corpus image is searched with: 8 orientations, then trimmed regions."""
    image = load_image(data)
    hashes, qualities = [], []
    for pixels in _orientations(image):
        packed, quality = _pdq(pixels)
        hashes.append(packed)
        qualities.append(quality)
    hashes += [_pdq(_crop(image, box))[0] for box in QUERY_REGIONS]
    trimmed = _trim_border(image)
    if trimmed is not None:
        hashes.append(_pdq(np.asarray(trimmed, dtype=np.uint8))[0])
    return ImageFingerprint(IMAGE_SCHEME, np.stack(hashes), qualities[0])


def _orientations(image: Image.Image) -> list[npt.NDArray[np.uint8]]:
    """The eight orientations' pixels, at most ``ORIENT_SIZE`` a side.

    The pixels are really turned: ``pdqhash.compute_dihedral``'s variants are
    approximations that missed mirrored textures by 30-70 bits on the dev set.
    """
    small = image.copy()
    small.thumbnail((ORIENT_SIZE, ORIENT_SIZE))
    pixels = np.asarray(small, dtype=np.uint8)
    turns = [np.rot90(pixels, k) for k in range(4)]
    return [np.ascontiguousarray(p) for t in turns for p in (t, t[:, ::-1])]
