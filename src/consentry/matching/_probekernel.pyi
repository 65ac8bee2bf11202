"""Type stub of the compiled probe kernel of the image index (``_probekernel.pyx``)."""

import numpy as np
import numpy.typing as npt

def candidates(
    q_hashes: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.uint32],
    postings: npt.NDArray[np.uint32],
    first: npt.NDArray[np.int64],
    width: npt.NDArray[np.int64],
    shift: npt.NDArray[np.int64],
    table: npt.NDArray[np.int64],
    flips: npt.NDArray[np.uint32],
    flip_start: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.uint32], npt.NDArray[np.int64]]: ...
def distances(
    stored: npt.NDArray[np.uint64],
    rows: npt.NDArray[np.uint32],
    q_words: npt.NDArray[np.uint64],
    per_query: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]: ...
