"""Machine-readable reservations and permissions: read every signal, map it, keep it.

Pure readers, one small module per standard, each taking what a corpus record
holds (HTTP headers, an HTML page, an image's bytes, a host's robots.txt or
tdmrep.json) and returning :class:`Signal` values already mapped onto
consentry's uses through the versioned cross-walk (``crosswalk.json``,
documented in ``docs/signals.md``). Nothing is fetched: every signal comes
from the corpus. A malformed reservation still reserves (fail closed).
"""

from consentry.signals.base import NoSignals, Signal, SignalReader, reservations

__all__ = ["NoSignals", "Signal", "SignalReader", "reservations"]
