"""Usage per work, derived from a scan's manifest and the items it names.

A model version trained on a dataset version used, for each registered work,
every item that holds the work (the deciding work and every other match) and
that the training took: the included items for ``--used cleared``, every item
for ``--used all``. Quantities are totals over all epochs (an item seen in
three epochs counts three times).

Tokens are a tokenizer-free estimate by default: one token per four Unicode
characters of text, rounded up per item (the usual rule of thumb for English
with byte-pair-encoding tokenizers; see ``docs/ledger.md``). A caller that has
a real tokenizer passes ``count_tokens``. Seconds are measured exactly for WAV
audio (frames / rate, to the millisecond, rounded down); other audio and video
count zero seconds, which the statement shows as the quantity used.
"""

from __future__ import annotations

import io
import math
import wave
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from typing import Any

CHARS_PER_TOKEN = 4
"""The tokenizer-free estimate: one token per this many characters of text."""

_MILLI = Decimal("0.001")


@dataclass(frozen=True, slots=True)
class ItemMeasure:
    """How much one corpus item holds: bytes, estimated tokens, seconds, images."""

    bytes: int
    tokens: int = 0
    seconds: Decimal = Decimal(0)
    images: int = 0


@dataclass(frozen=True, slots=True)
class WorkUsage:
    """One work's use by one training (or the sum over a model version's trainings).

    Quantities are totals over ``epochs``. ``licence_id`` is the licence the use
    fell under, if any; ``past_use`` marks a use no licence covered (an
    unlicensed past use: a liability to the work's parties).
    """

    work_id: str
    items: int
    bytes: int
    tokens: int
    seconds: Decimal
    images: int
    epochs: int
    dataset_version_id: str | None = None
    licence_id: str | None = None
    past_use: bool = False


def estimate_tokens(text: str) -> int:
    """The tokenizer-free token estimate: ``ceil(characters / 4)``."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


def wav_seconds(data: bytes) -> Decimal:
    """The duration of WAV audio to the millisecond (rounded down); 0 when not WAV."""
    if not (data[:4] == b"RIFF" and data[8:12] == b"WAVE"):
        return Decimal(0)
    try:
        with wave.open(io.BytesIO(data)) as audio:
            frames, rate = audio.getnframes(), audio.getframerate()
    except (wave.Error, EOFError):
        return Decimal(0)
    if rate <= 0:
        return Decimal(0)
    return (Decimal(frames) / Decimal(rate)).quantize(_MILLI, rounding=ROUND_DOWN)


def measure_item(
    data: bytes, kind: str | None, count_tokens: Callable[[str], int] | None = None
) -> ItemMeasure:
    """Measure one item's content as its manifest ``kind`` says it is."""
    if kind == "text":
        text = data.decode("utf-8", errors="replace")
        tokens = count_tokens(text) if count_tokens else estimate_tokens(text)
        return ItemMeasure(len(data), tokens=tokens)
    if kind == "image":
        return ItemMeasure(len(data), images=1)
    if kind == "audio":
        return ItemMeasure(len(data), seconds=wav_seconds(data))
    return ItemMeasure(len(data))


def row_works(row: Mapping[str, Any]) -> list[str]:
    """The registered works an item holds: the deciding work, then every other match."""
    found = [row.get("work_id"), *(m.get("work_id") for m in row.get("matches") or [])]
    return list(dict.fromkeys(w for w in found if isinstance(w, str)))


def row_used(row: Mapping[str, Any], used: str) -> bool:
    """True when a training that took ``used`` (``cleared`` or ``all``) took this item."""
    return used == "all" or row.get("decision") == "include"


def tally_usage(
    rows: Iterable[Mapping[str, Any]],
    measures: Mapping[str, ItemMeasure],
    *,
    used: str,
    epochs: int = 1,
    dataset_version_id: str | None = None,
) -> list[WorkUsage]:
    """Usage per work over manifest ``rows``, sorted by work id.

    ``measures`` maps item ids to their measures; an item used and holding a
    work must be measured (``KeyError`` otherwise: the caller failed to read it).
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, not {epochs}")
    totals: dict[str, list[Any]] = {}
    for row in rows:
        works = row_works(row)
        if not works or not row_used(row, used):
            continue
        m = measures[row["item_id"]]
        for work_id in works:
            t = totals.setdefault(work_id, [0, 0, 0, Decimal(0), 0])
            t[0] += 1
            t[1] += m.bytes
            t[2] += m.tokens
            t[3] += m.seconds
            t[4] += m.images
    return [
        WorkUsage(
            work_id=w,
            items=t[0] * epochs,
            bytes=t[1] * epochs,
            tokens=t[2] * epochs,
            seconds=t[3] * epochs,
            images=t[4] * epochs,
            epochs=epochs,
            dataset_version_id=dataset_version_id,
        )
        for w, t in sorted(totals.items())
    ]
