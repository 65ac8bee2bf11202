"""``" ".join(text.split())`` without making a Python string of every word.

``text-v1`` collapses every run of whitespace to one space and trims the ends,
exactly as ``str.split()`` with no argument sees whitespace (``str.isspace``:
29 code points, none above U+3000). Splitting a 50 KB document makes some
8,000 word objects; marking whitespace in a numpy array of code points does
the same work in a few passes over memory; the compiled kernel
(``_textkernel.collapse_utf8``), when built, does it in one. The result is the
same string, bit for bit, which the tests check against ``str.split`` on
arbitrary text, for both.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from consentry.fingerprint import kernel

if kernel.BUILT:
    from consentry.fingerprint import _textkernel

_LAST_SPACE = 0x3000  # IDEOGRAPHIC SPACE, the highest code point str.isspace() accepts
_SPACE = 0x20


@functools.cache
def _space_table() -> npt.NDArray[np.bool_]:
    """Per code point up to U+3000: whether ``str.isspace`` says it is whitespace."""
    return np.array([chr(c).isspace() for c in range(_LAST_SPACE + 1)], dtype=np.bool_)


def collapse_spaces(text: str) -> str:
    """``" ".join(text.split())``: whitespace runs become one space, none at either end."""
    if kernel.ACTIVE:
        return _textkernel.collapse_utf8(text).decode("utf-8", "surrogatepass")
    return collapse_spaces_numpy(text)


def collapse_spaces_numpy(text: str) -> str:
    """:func:`collapse_spaces` in numpy: the reference the compiled kernel is held to."""
    if text.isascii():
        codes: npt.NDArray[np.uint8] | npt.NDArray[np.uint32]
        codes = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        spaces = _space_table()[codes]
    else:
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        spaces = np.zeros(codes.size, dtype=np.bool_)
        low = codes <= _LAST_SPACE
        spaces[low] = _space_table()[codes[low]]
    if not spaces.any():
        return text
    words = ~spaces
    # A space survives where it ends a run that has a word before it and one after it.
    ends_run = spaces.copy()
    ends_run[:-1] &= words[1:]
    ends_run[-1] = False
    ends_run &= np.cumsum(words) > 0
    kept = codes[words | ends_run].copy()
    kept[ends_run[words | ends_run]] = _SPACE
    if kept.dtype == np.uint8:
        return kept.tobytes().decode("ascii")
    return kept.tobytes().decode("utf-32-le", "surrogatepass")
