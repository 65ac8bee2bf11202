"""Signals and their readers: what a scan reads besides the registry.

A :class:`SignalReader` first sees the whole corpus once (:meth:`prepass`:
host-level files such as robots.txt, ``/.well-known/tdmrep.json`` and ai.txt
records in a WARC), then each item (:meth:`read`: its HTTP headers, HTML
meta, embedded C2PA or XMP). Each :class:`Signal` says which standard, which
uses it reserves (already mapped onto consentry's uses), where it was seen
and when it was captured; it goes into the manifest's ``signals`` column, and
the reserving ones reach the policy as reservations. A scan without a reader
reads nothing (:class:`NoSignals`) and says so in its summary.
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
    """One reservation or permission signal seen for an item.

    ``reserved`` are the uses it reserves (mapped onto consentry's uses by the
    cross-walk); ``allowed`` the uses it permits (recorded, never a licence);
    ``status`` is ``ok``, or ``malformed`` / ``unknown`` with what was wrong
    in ``note`` (a malformed reservation still reserves: fail closed);
    ``where`` says where it was found (``header:tdm-reservation``,
    ``html:meta``, ``robots.txt:example.org line 4``...), ``seen`` the
    capture time of the record and ``sha256`` the hash of what it came from.
    """

    standard: str
    reserved: frozenset[Use]
    where: str
    value: str | None = None
    allowed: frozenset[Use] = frozenset()
    status: str = "ok"
    note: str | None = None
    seen: str | None = None
    sha256: str | None = None
    licensing: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The manifest's form: uses sorted, empty fields left out, so rows are byte-stable."""
        out: dict[str, Any] = {
            "standard": self.standard,
            "reserved": sorted(u.value for u in self.reserved),
            "where": self.where,
            "value": self.value,
            "status": self.status,
        }
        if self.allowed:
            out["allowed"] = sorted(u.value for u in self.allowed)
        for key in ("note", "seen", "sha256", "licensing"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        return out


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
