"""PDQ hashes computed in numpy, many at once, equal to ``pdqhash.compute``'s.

PDQ (Meta's perceptual hash) turns an image into a 64x64 luma buffer with a
two-pass box ("Jarosz") filter and a decimation, takes a 16x16 block of its
DCT and sets a bit for each coefficient above their median. Every step before
the median is linear, so the 64x64 buffer of any crop of the picture, and of
each of its eight orientations, is ``A_rows @ luma @ A_cols.T`` for a sparse
64 x n matrix ``A`` that depends only on the crop's side ``n`` (:func:`_kernel`).
A flipped picture uses ``A`` with its columns reversed, and a transposed
picture's buffer is the transposed buffer, so all eight orientations cost two
row passes and four column passes over one luma array, where ``pdqhash``
filters the whole picture eight times. This is what makes a query's
fingerprint cheap (see ``query_fingerprint``); the hashes are the same bits as
``pdqhash.compute`` on the turned or cropped pixels (tested on real pictures),
so they are compared with stored ``image-pdq-v1`` hashes as they are. The
exception is float rounding where coefficients tie at the median: synthetic
block patterns aligned with PDQ's grid (e.g. 6-pixel blocks) have measured 5-32
bits apart, real photos and film frames 0-2. Only queries are hashed here, and
they are compared within a threshold; stored hashes always come from
``pdqhash``.

``pdqhash.compute_dihedral`` is cheaper still, but it turns the DCT of the
unturned picture: for fine textures its variants differ from the hash of the
really turned pixels by 30-70 bits (the decimation samples other pixels).
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt
from PIL import Image

F32 = npt.NDArray[np.float32]
U8 = npt.NDArray[np.uint8]
BUFFER = 64
_DCT = (
    np.sqrt(2 / BUFFER) * np.cos(np.pi / 128 * np.outer(np.arange(1, 17), 2 * np.arange(64) + 1))
).astype(np.float32)


def luma(image: Image.Image) -> F32:
    """PDQ's luma (0.299 R + 0.587 G + 0.114 B, float32) of an RGB picture."""
    return np.asarray(image.convert("F"), dtype=np.float32)


@functools.lru_cache(maxsize=1024)
def _kernel(n: int) -> tuple[npt.NDArray[np.intp], F32]:
    """The rows of PDQ's filter-and-decimate matrix for side ``n``: (indices, weights), 64 x k.

    PDQ filters twice with a box of ``w = ceil(n / 128)`` pixels (clipped at
    the edges, averaging what is inside) and keeps pixel
    ``int((i + 0.5) * n / 64)``; output row ``i`` is a weighted sum of the
    ``k`` input pixels ``indices[i]`` (padding repeats the last with weight 0).
    """
    if n < 1:
        raise ValueError(f"a PDQ side must be at least one pixel, not {n}")
    window = (n + 2 * BUFFER - 1) // (2 * BUFFER)
    right = (window + 2) // 2 - 1
    left = window - 1 - right
    kept = ((np.arange(BUFFER) + 0.5) * n / BUFFER).astype(np.intp)
    rows = np.zeros((BUFFER, n), dtype=np.float64)
    rows[np.arange(BUFFER), kept] = 1.0
    for _ in range(2):  # rows @ box, twice; box[o, j] = 1 / count(o) over o's clipped window
        lo = np.maximum(np.arange(n) - left, 0)
        hi = np.minimum(np.arange(n) + right, n - 1)
        scaled = rows / (hi - lo + 1)
        sums = np.concatenate([np.zeros((BUFFER, 1)), np.cumsum(scaled, axis=1)], axis=1)
        # (rows @ box)[:, j] = sum of scaled[:, o] over the o whose window holds j
        first = np.searchsorted(hi, np.arange(n), side="left")
        last = np.searchsorted(lo, np.arange(n), side="right") - 1
        rows = sums[:, last + 1] - sums[:, first]
    inside = rows > 0
    first_kept = inside.argmax(axis=1)
    last_kept = n - 1 - inside[:, ::-1].argmax(axis=1)
    width = int((last_kept - first_kept).max()) + 1
    indices = np.minimum(first_kept[:, None] + np.arange(width)[None, :], last_kept[:, None])
    weights = np.take_along_axis(rows, indices, axis=1)
    weights[indices < first_kept[:, None] + np.arange(width)[None, :]] = 0.0  # the padding
    return indices.astype(np.intp), weights.astype(np.float32)


def _rows(pixels: F32, indices: npt.NDArray[np.intp], weights: F32) -> F32:
    """``A @ pixels`` for the sparse 64 x h matrix ``A`` given as (indices, weights)."""
    # np.take gathers the same rows as pixels[indices], a quarter faster.
    out: F32 = np.einsum("ik,ikw->iw", weights, np.take(pixels, indices, axis=0), optimize=False)
    return out


def _cols(rows: F32, indices: npt.NDArray[np.intp], weights: F32) -> F32:
    """``rows @ A.T`` for the sparse 64 x w matrix ``A`` given as (indices, weights)."""
    out: F32 = np.einsum("rok,ok->ro", rows[:, indices], weights, optimize=False)
    return out


def buffer(pixels: F32) -> F32:
    """PDQ's 64x64 buffer of a luma array (what ``pdqhash`` hashes)."""
    rows = _rows(pixels, *_kernel(pixels.shape[0]))
    return _cols(rows, *_kernel(pixels.shape[1]))


def dihedral_buffers(pixels: F32) -> F32:
    """The 64x64 buffers of the eight orientations of a luma array, the unturned one first.

    One row pass (the picture's rows and, stacked under them, its rows upside
    down) and one column pass (its columns and theirs mirrored): per output
    float, the same products summed in the same order as a pass per
    orientation, for half the numpy calls.
    """
    h, w = pixels.shape
    both = _cols(_rows(pixels, *_both(h)), *_both(w))
    unturned = np.stack(
        [both[r : r + BUFFER, c : c + BUFFER] for r in (0, BUFFER) for c in (0, BUFFER)]
    )
    return np.concatenate([unturned, unturned.transpose(0, 2, 1)])


@functools.lru_cache(maxsize=1024)
def _both(n: int) -> tuple[npt.NDArray[np.intp], F32]:
    """The kernel of side ``n`` and, stacked under it, the kernel of that side reversed."""
    indices, weights = _kernel(n)
    return np.concatenate([indices, n - 1 - indices]), np.concatenate([weights, weights])


def mirror_buffers(pixels: F32) -> F32:
    """The 64x64 buffers of a luma array and of its mirror image (left-right), in that order.

    One row pass and two column passes: the cheap way for a video query to
    hash each sampled frame in both orientations (``fingerprint/video.py``).
    """
    h, w = pixels.shape
    both = _cols(_rows(pixels, *_kernel(h)), *_both(w))
    return np.stack([both[:, :BUFFER], both[:, BUFFER:]])


def quality(buffers: F32) -> npt.NDArray[np.int64]:
    """PDQ's quality (0-100, gradient sum / 90) of each 64x64 buffer."""
    down = np.trunc((buffers[:, :-1, :] - buffers[:, 1:, :]) * 100 / 255)
    across = np.trunc((buffers[:, :, :-1] - buffers[:, :, 1:]) * 100 / 255)
    total = np.abs(down).sum(axis=(1, 2)) + np.abs(across).sum(axis=(1, 2))
    scores: npt.NDArray[np.int64] = np.minimum(total.astype(np.int64) // 90, 100)
    return scores


def hashes(buffers: F32) -> U8:
    """Packed 256-bit PDQ hashes (``uint8[n, 32]``, ``pdqhash``'s bit order) of 64x64 buffers."""
    coefficients = (_DCT @ buffers @ _DCT.T).reshape(len(buffers), 256)
    # np.median's value for an even count: the mean of the two middle ones, in float32.
    middle = np.partition(coefficients, (127, 128), axis=1)
    median = (middle[:, 127:128] + middle[:, 128:129]) / np.float32(2)
    bits = (coefficients > median)[:, ::-1]
    return np.packbits(bits, axis=1)
