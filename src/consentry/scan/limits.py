"""A wall-clock limit per item, so one hostile or pathological item cannot hang a scan.

Size limits are the readers' (each refuses an item over its byte limit before
reading it). Time is limited here, around the work done on an item: a timer
(``setitimer(ITIMER_REAL)``) raises :class:`ItemTimeLimit` in the worker when
the item takes longer than its allowance, and the item becomes an
``unreadable:timeout`` manifest row while the scan goes on.

The timer interrupts Python code at its next bytecode; a single call into C
that never returns to Python (a codec stuck inside one function) is beyond its
reach, which is why the readers' size limits come first. Timers exist only in
the main thread of a process; elsewhere (a thread pool) the limit is not armed
and :func:`time_limit` says so through :func:`limit_available`.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_ITEM_SECONDS = 120.0


class ItemTimeLimit(Exception):
    """An item took longer than its allowance."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


def limit_available() -> bool:
    """Whether a time limit can be armed here (the main thread, on a system with timers)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`ItemTimeLimit` inside the block once ``seconds`` have passed.

    ``None`` or a non-positive value means no limit; so does a place where no
    timer can be armed (see the module's docstring).
    """
    if seconds is None or seconds <= 0 or not limit_available():
        yield
        return

    def _expired(signum: int, frame: FrameType | None) -> None:
        raise ItemTimeLimit(seconds)

    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
