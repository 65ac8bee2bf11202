"""Property: any valid rows, written as JSONL or CSV, parse back to what was written,
each exactly once, on the line where it starts."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.domain import ConsentState, Fingerprints, Role, Split, Use, WorkKind
from consentry.identifiers import normalise_work_identifier
from consentry.work_import import PartyRef, WorkRow, parse_import
from consentry.work_import.read import COLUMNS, JSON_COLUMNS

IDENTIFIERS = {
    "isbn": ["978-0-306-40615-7", "0-306-40615-2", "9781861972712", "1-86197-271-7"],
    "issn": ["0378-5955", "2049-3630"],
    "isrc": ["US-S1Z-99-00001"],
    "iswc": ["T-034.524.680-1"],
    "doi": ["10.1000/182", "https://doi.org/10.1000/ABC"],
    "iscc": ["ISCC:KACYPXW445FTYNJ3"],
    "url": ["https://example.org/a"],
}
NORM = {"text": "text-v1", "image": "image-v1"}

text = st.text(
    alphabet=st.characters(exclude_categories=["Cs"], exclude_characters="\r"),
    min_size=1,
    max_size=20,
).filter(lambda t: t.strip() != "")
hex64 = st.text(alphabet="0123456789abcdefABCDEF", min_size=64, max_size=64)
consent = st.dictionaries(
    st.sampled_from([u.value for u in Use]),
    st.sampled_from([s.value for s in ConsentState]),
    max_size=3,
)


def share_value(hundredths: int) -> Any:
    """A share written as text or as a JSON number; both read back exactly."""
    return st.sampled_from([f"{Decimal(hundredths) / 100}", hundredths / 100])


@st.composite
def shares(draw: st.DrawFn, count: int) -> list[Any]:
    """``count`` shares (or None) whose given values sum to at most 1."""
    left, found = 100, list[Any]()
    for _ in range(count):
        if draw(st.booleans()):
            found.append(None)
            continue
        part = draw(st.integers(0, left))
        left -= part
        found.append(draw(share_value(part)))
    return found


@st.composite
def parties(draw: st.DrawFn, creators: bool) -> list[dict[str, Any]]:
    count = draw(st.integers(0, 3))
    found = []
    for share in draw(shares(count)):
        party: dict[str, Any] = {"name": draw(text)}
        if share is not None:
            party["share"] = share
        if creators and draw(st.booleans()):
            party["role"] = draw(st.sampled_from([r.value for r in Role]))
        if not creators and draw(st.booleans()):
            party["territory"] = draw(st.sampled_from(["world", "GB", "FR"]))
        if draw(st.booleans()):
            party["consent"] = draw(consent)
        found.append(party)
    return found


@st.composite
def work_rows(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from([k.value for k in WorkKind]))
    found: dict[str, Any] = {"title": draw(text), "kind": kind}
    fingerprints = {"sha256": draw(hex64)}
    if kind in NORM and draw(st.booleans()):
        fingerprints |= {"content_sha256": draw(hex64), "norm": NORM[kind]}
    schemes = draw(st.lists(st.sampled_from(sorted(IDENTIFIERS)), unique=True, max_size=3))
    identifiers = {s: draw(st.sampled_from(IDENTIFIERS[s])) for s in schemes}
    if identifiers:
        found["identifiers"] = identifiers
    if not identifiers or draw(st.booleans()):
        found["fingerprints"] = fingerprints
    creators, holders = draw(parties(True)), draw(parties(False))
    if not creators and not holders:
        creators = [{"name": "Anonymous"}]
    if creators:
        found["creators"] = creators
    if holders:
        found["rightsholders"] = holders
    with_split: bool = draw(st.booleans())
    if creators and holders and with_split:
        part = draw(st.integers(0, 100))
        found["split"] = {
            "creators": draw(share_value(part)),
            "rightsholders": draw(share_value(100 - part)),
        }
    if draw(st.booleans()):
        found["consent"] = draw(consent)
    return found


def expected(line: int, raw: dict[str, Any]) -> WorkRow:
    """The WorkRow that ``raw`` must parse to."""
    fp = raw.get("fingerprints", {})
    return WorkRow(
        line=line,
        id=raw.get("id"),
        title=raw["title"].strip(),
        kind=WorkKind(raw["kind"]),
        identifiers={
            s: (normalise_work_identifier(s, v),) for s, v in raw.get("identifiers", {}).items()
        },
        fingerprints=Fingerprints(
            fp["sha256"].lower() if "sha256" in fp else None,
            fp["content_sha256"].lower() if "content_sha256" in fp else None,
            fp.get("norm"),
        ),
        creators=tuple(expected_party(p, True) for p in raw.get("creators", [])),
        rightsholders=tuple(expected_party(p, False) for p in raw.get("rightsholders", [])),
        split=Split(
            Decimal(str(raw["split"]["creators"])), Decimal(str(raw["split"]["rightsholders"]))
        )
        if "split" in raw
        else None,
        consent={Use(u): ConsentState(s) for u, s in raw.get("consent", {}).items()},
    )


def expected_party(raw: dict[str, Any], creator: bool) -> PartyRef:
    return PartyRef(
        name=raw["name"].strip(),
        role=Role(raw.get("role", "author")) if creator else None,
        share=Decimal(str(raw["share"])) if "share" in raw else None,
        territory=None if creator else raw.get("territory", "world"),
        consent={Use(u): ConsentState(s) for u, s in raw.get("consent", {}).items()},
    )


def as_csv(rows: list[dict[str, Any]]) -> tuple[str, list[int]]:
    """The CSV text of ``rows`` and the line each record starts on."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    starts = []
    for r in rows:
        starts.append(out.getvalue().count("\n") + 1)
        writer.writerow(
            [
                "" if c not in r else (json.dumps(r[c]) if c in JSON_COLUMNS else r[c])
                for c in COLUMNS
            ]
        )
    return out.getvalue(), starts


@settings(max_examples=120, deadline=None)
@given(st.lists(work_rows(), min_size=1, max_size=12), st.data())
def test_valid_rows_round_trip_through_jsonl_and_csv(
    rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    for number, r in enumerate(rows):
        if data.draw(st.booleans()):
            r["id"] = f"work-{number}"
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "works.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        from_jsonl = parse_import(jsonl).rows
        text_csv, starts = as_csv(rows)
        csv_path = Path(folder) / "works.csv"
        csv_path.write_text(text_csv, encoding="utf-8", newline="")
        from_csv = parse_import(csv_path).rows
    assert list(from_jsonl) == [expected(n, r) for n, r in enumerate(rows, start=1)]
    assert list(from_csv) == [expected(line, r) for line, r in zip(starts, rows, strict=True)]
