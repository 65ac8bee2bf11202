"""Type stub of the compiled text kernel (``_textkernel.pyx``)."""

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

SHINGLE: int
BASE: int
SELECT: int
SAMPLE_SHIFT: int

def shingles(
    text: str,
    table: npt.NDArray[np.uint32],
    counts: npt.NDArray[np.uint8],
    scratch: npt.NDArray[np.uint32],
    out_h: npt.NDArray[np.uint64],
    out_s: npt.NDArray[np.uint32],
    out_e: npt.NDArray[np.uint32],
) -> tuple[int, int]: ...
def collapse_utf8(text: str, lower_ascii: bool = False) -> bytes: ...
def text_v1_utf8(text: str, fold: Callable[[str], str]) -> bytes: ...
