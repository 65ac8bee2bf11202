"""The seam for machine-readable reservations: what a scan reads besides the registry.

A :class:`SignalReader` first sees the whole corpus once (:meth:`prepass`:
host-level files such as robots.txt, ``/.well-known/tdmrep.json`` and ai.txt
records in a WARC), then each item (:meth:`read`: its HTTP headers, HTML
meta, embedded C2PA or XMP). Each :class:`Signal` says which standard, which
uses it reserves (already mapped onto consentry's uses), where it was seen
and when it was captured; it goes into the manifest's ``signals`` column, and
the reserving ones reach the policy as reservations. The readers themselves
live in ``consentry.signals``; a scan without them reads nothing
(:class:`NoSignals`) and says so in its summary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from consentry.corpus.item import CorpusReader, Item
from consentry.domain import Use
from consentry.policy import Reservation


@dataclass(frozen=True, slots=True)
class Signal:
    """One reservation or permission signal seen for an item."""

    standard: str
    reserved: frozenset[Use]
    where: str
    seen: str | None = None
    value: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The manifest's form: uses sorted, so that rows are byte-stable."""
        return {
            "standard": self.standard,
            "reserved": sorted(u.value for u in self.reserved),
            "where": self.where,
            "seen": self.seen,
            "value": self.value,
        }


def reservations(signals: list[Mapping[str, Any]]) -> list[Reservation]:
    """The reserving signals of a manifest row, as the policy takes them."""
    return [
        Reservation(str(s["standard"]), frozenset(Use(u) for u in s["reserved"]))
        for s in signals
        if s.get("reserved")
    ]


class SignalReader(Protocol):
    """Reads every reservation signal for a corpus's items."""

    name: str

    def prepass(self, reader: CorpusReader) -> None:
        """Read host-level signals once, before any item is decided."""
        ...

    def read(self, item: Item) -> list[Signal]:
        """The signals found in one item's record and file."""
        ...


class NoSignals:
    """Reads nothing: every item has no signals (the default until readers are installed)."""

    name = "none"

    def prepass(self, reader: CorpusReader) -> None:
        """Nothing to read."""

    def read(self, item: Item) -> list[Signal]:
        """No signals."""
        return []
