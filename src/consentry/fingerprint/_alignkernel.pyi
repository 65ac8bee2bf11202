"""Type stub of the compiled alignment kernel (``_alignkernel.pyx``)."""

import numpy as np
import numpy.typing as npt

def patience(values: npt.NDArray[np.int64], chain: npt.NDArray[np.int64]) -> int: ...
def directory(table: npt.NDArray[np.uint64], bits: int) -> npt.NDArray[np.int64]: ...
def pairs(
    hashes: npt.NDArray[np.uint64],
    tables: list[
        tuple[
            npt.NDArray[np.uint64],
            npt.NDArray[np.uint32],
            npt.NDArray[np.uint32],
            npt.NDArray[np.int64],
            int,
        ]
    ],
    alive: npt.NDArray[np.uint8],
    cap: int,
) -> tuple[npt.NDArray[np.uint64], int, int, int, int, int] | None: ...
def chains(
    keys: npt.NDArray[np.uint64],
    item_bits: int,
    pos_bits: int,
    pos_top: int,
    window: int,
    need: int,
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]
]: ...
