"""Bulk writes and the batch reads built on them: filters, chunked IN lists, lookups.

2,000 works go in through ``add_works``; the reads are checked against what a
plain Python filter over the same input says, so every expectation is computed,
not copied from the output.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from consentry.domain import (
    Consent,
    ConsentState,
    Contribution,
    Fingerprints,
    Licence,
    Party,
    PartyKind,
    Rights,
    Use,
    Work,
    WorkKind,
)
from consentry.store import open_registry
from consentry.store.works import CHUNK

T0 = datetime(2024, 1, 1, tzinfo=UTC)
N = 2000
KINDS = tuple(WorkKind)
CREATORS = [Party(f"c{i}", f"Creator {i}", PartyKind.CREATOR) for i in range(10)]
HOLDERS = [Party(f"r{i}", f"Holder {i}", PartyKind.RIGHTSHOLDER) for i in range(5)]
BOTH = Party("both", "Creator and holder", PartyKind.CREATOR)
DEVS = [Party(f"d{i}", f"Developer {i}", PartyKind.DEVELOPER) for i in range(2)]


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _bulk_work(i: int) -> Work:
    return Work(
        id=f"w{i:04d}",
        title=f"Work {i:04d}",
        kind=KINDS[i % len(KINDS)],
        identifiers={"isbn": (f"978{i:010d}",), "url": (f"https://example.org/{i}",)},
        contributions=(Contribution(f"c{i % 10}"),),
        rights=(Rights(f"r{i % 5}"),) if i % 2 == 0 else (),
        fingerprints=Fingerprints(
            sha256=_hex(f"raw {i}"), content_sha256=_hex(f"content {i // 2}"), norm="text-v1"
        ),
    )


def _special(work_id: str, title: str, **extra: Any) -> Work:
    return Work(id=work_id, title=title, kind=WorkKind.TEXT, **extra)


SPECIAL = [
    _special("s_pct", "A 100% True Story"),
    _special("s_pct_decoy", "A 1000 True Story"),
    _special("s_under", "snake_case notes"),
    _special("s_under_decoy", "snakeXcase notes"),
    _special("s_slash", "AC/DC live"),
    _special("s_slash_decoy", "ACDC live"),
    # "both" is a creator of one, a rightsholder of another, and both of a third.
    _special("s_both_c", "Made by both", contributions=(Contribution("both"),)),
    _special("s_both_r", "Held by both", rights=(Rights("both"),)),
    _special(
        "s_both_cr",
        "Made and held by both",
        contributions=(Contribution("both"),),
        rights=(Rights("both"),),
        identifiers={"isbn": ("9780000000007",)},  # shared with w0007
    ),
]
ALL = [_bulk_work(i) for i in range(N)] + SPECIAL


@pytest.fixture
def filled(engine: Engine) -> Engine:
    """A registry holding the 2,000 bulk works and the special ones."""
    with open_registry(engine) as reg:
        reg.add_parties([*CREATORS, *HOLDERS, BOTH, *DEVS])
        reg.add_works(ALL)
    return engine


def _ids(works: list[Work]) -> list[str]:
    return [w.id for w in works]


def test_bulk_works_come_back_whole_in_id_order(filled: Engine) -> None:
    with open_registry(filled) as reg:
        everything = reg.list_works()
    assert len(everything) == N + len(SPECIAL)
    assert everything == sorted(ALL, key=lambda w: w.id)


def test_list_works_filters(filled: Engine) -> None:
    by_id = sorted(ALL, key=lambda w: w.id)
    with open_registry(filled) as reg:
        for kind in WorkKind:
            expected = [w.id for w in by_id if w.kind is kind]
            assert _ids(reg.list_works(kind=kind)) == expected
        assert len(reg.list_works(kind=WorkKind.IMAGE)) == N // 4

        # A creator, a rightsholder, and a party that is both (each work once).
        assert _ids(reg.list_works(party_id="c3")) == [f"w{i:04d}" for i in range(3, N, 10)]
        assert _ids(reg.list_works(party_id="r2")) == [f"w{i:04d}" for i in range(2, N, 10)]
        assert _ids(reg.list_works(party_id="both")) == ["s_both_c", "s_both_cr", "s_both_r"]
        assert reg.list_works(party_id="nobody") == []
        assert _ids(reg.list_works(party_id="c4", kind=WorkKind.TEXT)) == [
            w.id for w in by_id if "c4" in w.creator_ids and w.kind is WorkKind.TEXT
        ]

        # Case-insensitive, and % _ / in the search are literal characters.
        assert _ids(reg.list_works(title_contains="wORK 00")) == [f"w{i:04d}" for i in range(100)]
        assert _ids(reg.list_works(title_contains="100%")) == ["s_pct"]
        assert _ids(reg.list_works(title_contains="E_c")) == ["s_under"]
        assert _ids(reg.list_works(title_contains="c/d")) == ["s_slash"]
        assert reg.list_works(title_contains="%") == [w for w in by_id if w.id == "s_pct"]
        assert reg.list_works(title_contains="_") == [w for w in by_id if w.id == "s_under"]
        expected = ["s_both_c", "s_both_cr", "s_both_r"]
        assert _ids(reg.list_works(title_contains="BOTH")) == expected

        # Paging: the same order as the full list.
        assert _ids(reg.list_works(limit=10, offset=5)) == _ids(by_id[5:15])
        assert _ids(reg.list_works(offset=N + len(SPECIAL) - 3)) == _ids(by_id[-3:])
        audio = [w.id for w in by_id if w.kind is WorkKind.AUDIO]
        assert _ids(reg.list_works(kind=WorkKind.AUDIO, limit=7, offset=100)) == audio[100:107]
        assert reg.list_works(limit=0) == []
        # Children are loaded for paged works too (not only for the first chunk).
        page = reg.list_works(offset=1500, limit=3)
        assert page == by_id[1500:1503]


def test_existing_work_ids_chunks_long_lists(filled: Engine) -> None:
    known = [f"w{i:04d}" for i in range(0, N, 2)]  # 1,000 known ids
    unknown = [f"x{i:04d}" for i in range(700)]
    asked = [x for pair in zip(known[:700], unknown, strict=True) for x in pair] + known[700:]
    assert len(asked) > 3 * CHUNK
    with open_registry(filled) as reg:
        assert reg.existing_work_ids(asked) == set(known)
        assert reg.existing_work_ids(iter(unknown)) == set()
        assert reg.existing_work_ids([]) == set()


def test_lookups_by_fingerprint_and_identifier(filled: Engine) -> None:
    with open_registry(filled) as reg:
        assert reg.find_works_by_fingerprint(_hex("raw 1234")) == ["w1234"]
        # Two works share each normalised-content hash.
        assert reg.find_works_by_fingerprint(_hex("content 617")) == ["w1234", "w1235"]
        assert reg.find_works_by_fingerprint("0" * 64) == []
        assert reg.find_works_by_identifier("isbn", "9780000000007") == ["s_both_cr", "w0007"]
        assert reg.find_works_by_identifier("url", "https://example.org/1999") == ["w1999"]
        # The scheme matters: an isbn value under another scheme matches nothing.
        assert reg.find_works_by_identifier("issn", "9780000000007") == []


def test_licences_and_consents_for_many_works(filled: Engine) -> None:
    wide = Licence(
        id="l_wide",
        licensee_id="d0",
        work_ids=frozenset(f"w{i:04d}" for i in range(700)),  # more than one chunk
        uses=frozenset({Use.AI_TRAINING}),
        starts_at=T0,
    )
    narrow = Licence(
        id="l_narrow",
        licensee_id="d1",
        work_ids=frozenset({"w0605", "w0606", "w1900"}),
        uses=frozenset({Use.SEARCH}),
        starts_at=T0,
    )
    granted = [
        Consent(f"c{i % 10}", f"w{i:04d}", Use.AI_TRAINING, ConsentState.GRANTED, T0, "imp")
        for i in range(0, 1200, 2)
    ]
    withheld = Consent("c5", "w0605", Use.SEARCH, ConsentState.WITHHELD, T0, "c5")
    with open_registry(filled) as reg:
        reg.add_licence(narrow)
        reg.add_licence(wide)
        reg.record_consents_bulk(granted)
        reg.record_consent(withheld)

    asked = [f"w{i:04d}" for i in range(1000)] + ["w1900", "nope"]
    with open_registry(filled) as reg:
        by_work = reg.licences_for_works(asked)
        assert set(by_work) == {f"w{i:04d}" for i in range(700)} | {"w1900"}
        assert by_work["w0605"] == [narrow, wide]  # in licence-id order
        assert by_work["w0000"] == [wide] and by_work["w0699"] == [wide]
        assert by_work["w1900"] == [narrow]
        assert "w0700" not in by_work

        assert reg.list_licences() == [narrow, wide]
        assert reg.list_licences(licensee_id="d1") == [narrow]
        assert reg.list_licences(work_id="w0001") == [wide]
        assert reg.list_licences(work_id="w0606") == [narrow, wide]
        assert reg.list_licences(licensee_id="d0", work_id="w1900") == []
        assert reg.list_licences(work_id="w1999") == []

        histories = reg.consents_for_works(asked)
        assert set(histories) == {f"w{i:04d}" for i in range(0, 1000, 2)} | {"w0605"}
        assert histories["w0604"] == [granted[302]]
        assert histories["w0605"] == [withheld]
        assert histories["w0998"] == [granted[499]]
        assert sum(len(v) for v in histories.values()) == 501
        assert reg.work_consent_version("w0604") == 1
        assert reg.work_consent_version("w1300") == 0
