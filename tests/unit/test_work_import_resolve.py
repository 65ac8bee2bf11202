"""Party matching and resolve_plan: parties, works and consents, or every problem."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from consentry.domain import (
    Consent,
    ConsentState,
    Contribution,
    Party,
    PartyKind,
    Rights,
    Role,
    Split,
    Use,
)
from consentry.errors import AmbiguousParty, ImportRejected, InvalidInput
from consentry.work_import import (
    ImportPlan,
    PartyIndex,
    PartyRef,
    ResolvedImport,
    parse_import,
    resolve_plan,
)

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
ISNI = "0000000121032683"
OTHER_ISNI = "000000012146438X"
SHA = "a" * 64


def counter() -> Any:
    """An id factory giving ``p_1``, ``w_2``, ... in order."""
    numbers = itertools.count(1)
    return lambda prefix: f"{prefix}_{next(numbers)}"


def no_existing(ids: Iterable[str]) -> set[str]:
    list(ids)
    return set()


def plan_of(tmp_path: Path, *rows: dict[str, Any]) -> ImportPlan:
    path = tmp_path / "catalogue.jsonl"
    fingerprints = {"sha256": SHA, "content_sha256": SHA, "norm": "text-v1"}
    full = [{"title": "T", "kind": "text", "fingerprints": fingerprints} | r for r in rows]
    path.write_text("".join(json.dumps(r) + "\n" for r in full))
    return parse_import(path)


def resolve(
    tmp_path: Path,
    *rows: dict[str, Any],
    parties: Iterable[Party] = (),
    existing: set[str] | None = None,
) -> ResolvedImport:
    index = PartyIndex(parties, new_id=counter())
    known = existing or set()
    return resolve_plan(
        plan_of(tmp_path, *rows),
        index,
        importer_id="p_importer",
        at=AT,
        existing_work_ids=lambda ids: known & set(ids),
    )


def rejected(
    tmp_path: Path,
    *rows: dict[str, Any],
    parties: Iterable[Party] = (),
    existing: set[str] | None = None,
) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        resolve(tmp_path, *rows, parties=parties, existing=existing)
    return [str(e) for e in caught.value.errors]


# --- PartyIndex --------------------------------------------------------------------------------


def test_a_new_name_creates_a_party_and_later_mentions_find_it() -> None:
    index = PartyIndex(new_id=counter())
    first = index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)
    again = index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)
    assert first.created and again.created
    assert first.party == Party("p_1", "Ann Lee", PartyKind.CREATOR)
    assert again.party.id == "p_1"
    assert index.created == (first.party,)


def test_id_isni_and_ipi_match_before_names() -> None:
    ann = Party("p_ann", "Ann Lee", PartyKind.CREATOR, isni=ISNI, ipi="00123456789")
    index = PartyIndex([ann], new_id=counter())
    assert index.resolve(PartyRef("A. Lee", id="p_ann"), PartyKind.CREATOR).party is ann
    assert index.resolve(PartyRef("A. Lee", isni=ISNI), PartyKind.CREATOR).party is ann
    assert index.resolve(PartyRef("Lee", ipi="00123456789"), PartyKind.CREATOR).party is ann
    found = index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)
    assert found.party is ann
    assert not found.created


def test_an_unknown_id_becomes_the_new_party_id() -> None:
    index = PartyIndex([Party("p_1", "Ann Lee", PartyKind.CREATOR)], new_id=counter())
    found = index.resolve(PartyRef("Ann Lee", id="ann-lee-2"), PartyKind.CREATOR)
    assert found.created
    assert found.party.id == "ann-lee-2"


def test_a_name_matching_two_parties_is_ambiguous_and_names_both() -> None:
    index = PartyIndex(
        [
            Party("p_1a2b", "Ann Lee", PartyKind.CREATOR, isni=ISNI),
            Party("p_9f8e", "Ann Lee", PartyKind.CREATOR),
        ],
    )
    with pytest.raises(AmbiguousParty) as caught:
        index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)
    assert caught.value.message == (
        f"creator name 'Ann Lee' matches two parties: p_1a2b (ISNI {ISNI}) and p_9f8e; "
        "give an id, ISNI or IPI"
    )


def test_a_name_with_a_different_isni_is_a_different_person() -> None:
    index = PartyIndex([Party("p_1", "Ann Lee", PartyKind.CREATOR, isni=ISNI)], new_id=counter())
    found = index.resolve(PartyRef("Ann Lee", isni=OTHER_ISNI), PartyKind.CREATOR)
    assert found.created
    assert found.party.isni == OTHER_ISNI
    with pytest.raises(AmbiguousParty):
        index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)


def test_names_match_within_a_kind() -> None:
    writer = Party("p_1", "Ann Lee", PartyKind.CREATOR)
    index = PartyIndex([writer], new_id=counter())
    holder = index.resolve(PartyRef("Ann Lee"), PartyKind.RIGHTSHOLDER)
    assert holder.created
    assert holder.party.kind is PartyKind.RIGHTSHOLDER


def test_a_developer_named_as_a_creator_is_refused() -> None:
    index = PartyIndex([Party("p_dev", "BigModel Inc", PartyKind.DEVELOPER)])
    with pytest.raises(InvalidInput, match="is the developer p_dev; a developer cannot be"):
        index.resolve(PartyRef("BigModel Inc"), PartyKind.CREATOR)


def test_an_isni_of_another_kind_is_refused() -> None:
    index = PartyIndex([Party("p_1", "Pub", PartyKind.RIGHTSHOLDER, isni=ISNI)])
    with pytest.raises(InvalidInput) as caught:
        index.resolve(PartyRef("Pub", isni=ISNI), PartyKind.CREATOR)
    assert caught.value.message == (
        f"creator 'Pub' is p_1 (ISNI {ISNI}) ('Pub'), a rightsholder; a party is of one kind only"
    )


def test_ids_that_name_different_parties_are_refused() -> None:
    index = PartyIndex(
        [
            Party("p_1", "A", PartyKind.CREATOR, isni=ISNI),
            Party("p_2", "B", PartyKind.CREATOR, ipi="00123456789"),
        ]
    )
    with pytest.raises(InvalidInput, match=r"ISNI \d+ and IPI 00123456789 name two parties"):
        index.resolve(PartyRef("A", isni=ISNI, ipi="00123456789"), PartyKind.CREATOR)


def test_an_unknown_id_with_a_known_isni_is_refused() -> None:
    index = PartyIndex([Party("p_1", "A", PartyKind.CREATOR, isni=ISNI)])
    with pytest.raises(InvalidInput, match="id 'ann' is unknown, but its ISNI or IPI belongs"):
        index.resolve(PartyRef("A", id="ann", isni=ISNI), PartyKind.CREATOR)


def test_a_matched_party_with_a_different_isni_is_refused() -> None:
    index = PartyIndex([Party("p_1", "A", PartyKind.CREATOR, isni=ISNI)])
    with pytest.raises(InvalidInput, match="whose ISNI, IPI or ORCID differs"):
        index.resolve(PartyRef("A", id="p_1", isni=OTHER_ISNI), PartyKind.CREATOR)


def test_a_new_party_gains_the_ids_later_rows_give() -> None:
    index = PartyIndex(new_id=counter())
    index.resolve(PartyRef("Ann Lee"), PartyKind.CREATOR)
    index.resolve(PartyRef("Ann Lee", isni=ISNI, email="ann@example.org"), PartyKind.CREATOR)
    assert index.created == (
        Party("p_1", "Ann Lee", PartyKind.CREATOR, isni=ISNI, email="ann@example.org"),
    )
    assert index.resolve(PartyRef("Someone", isni=ISNI), PartyKind.CREATOR).party.id == "p_1"


def test_generated_ids_skip_ids_already_taken() -> None:
    ids = iter(["p_1", "p_1", "p_2"])
    index = PartyIndex([Party("p_1", "X", PartyKind.CREATOR)], new_id=lambda _prefix: next(ids))
    assert index.resolve(PartyRef("Y"), PartyKind.CREATOR).party.id == "p_2"


def test_the_default_ids_are_opaque() -> None:
    party = PartyIndex().resolve(PartyRef("Ann"), PartyKind.CREATOR).party
    assert party.id.startswith("p_")
    assert len(party.id) == 18
    assert "Ann" not in party.id


# --- resolve_plan -------------------------------------------------------------------------------


def test_works_parties_and_consents_are_built(tmp_path: Path) -> None:
    result = resolve(
        tmp_path,
        {
            "id": "w_ruth",
            "creators": [
                {"name": "Ann", "share": "0.6", "consent": {"ai_training": "granted"}},
                {"name": "Bob", "role": "illustrator", "share": "0.4"},
            ],
            "rightsholders": [{"name": "Pub", "territory": "GB"}],
            "split": {"creators": "0.5", "rightsholders": "0.5"},
            "consent": {"ai_training": "withheld", "search": "granted"},
        },
        {"creators": [{"name": "Ann"}], "identifiers": {"doi": "10.1000/1"}},
    )
    # Work ids are drawn first (w_1), then party ids as parties first appear.
    assert result.parties == (
        Party("p_2", "Ann", PartyKind.CREATOR),
        Party("p_3", "Bob", PartyKind.CREATOR),
        Party("p_4", "Pub", PartyKind.RIGHTSHOLDER),
    )
    ruth, second = result.works
    assert ruth.id == "w_ruth"
    assert ruth.contributions == (
        Contribution("p_2", Role.AUTHOR, Decimal("0.6")),
        Contribution("p_3", Role.ILLUSTRATOR, Decimal("0.4")),
    )
    assert ruth.rights == (Rights("p_4", None, "GB"),)
    assert ruth.split == Split(Decimal("0.5"), Decimal("0.5"))
    assert ruth.fingerprints.sha256 == SHA
    assert second.id == "w_1"
    assert second.creator_ids == ("p_2",)
    assert dict(second.identifiers) == {"doi": ("10.1000/1",)}

    def consent(party: str, use: Use, state: ConsentState) -> Consent:
        return Consent(
            party, "w_ruth", use, state, AT, "p_importer", evidence="import catalogue.jsonl line 1"
        )

    # A party's own answer wins over the row's shorthand; the shorthand covers everyone.
    assert set(result.consents) == {
        consent("p_2", Use.AI_TRAINING, ConsentState.GRANTED),
        consent("p_2", Use.SEARCH, ConsentState.GRANTED),
        consent("p_3", Use.AI_TRAINING, ConsentState.WITHHELD),
        consent("p_3", Use.SEARCH, ConsentState.GRANTED),
        consent("p_4", Use.AI_TRAINING, ConsentState.WITHHELD),
        consent("p_4", Use.SEARCH, ConsentState.GRANTED),
    }
    assert len(result.consents) == 6


def test_existing_parties_are_used_not_created(tmp_path: Path) -> None:
    ann = Party("p_ann", "Ann", PartyKind.CREATOR, isni=ISNI)
    result = resolve(tmp_path, {"creators": [{"name": "Ann Lee", "isni": ISNI}]}, parties=[ann])
    assert result.parties == ()
    assert result.works[0].creator_ids == ("p_ann",)


def test_an_isni_the_registered_party_lacks_is_reported(tmp_path: Path) -> None:
    ann = Party("p_ann", "Ann", PartyKind.CREATOR)
    result = resolve(tmp_path, {"creators": [{"name": "Ann", "isni": ISNI}]}, parties=[ann])
    assert [str(w) for w in result.warnings] == [
        "line 1: 'Ann' matched p_ann, which has no ISNI; the row's ISNI was not recorded "
        "(update the party to add it)"
    ]


def test_work_ids_already_registered_are_refused(tmp_path: Path) -> None:
    asked: list[list[str]] = []
    plan = plan_of(
        tmp_path,
        {"id": "w1", "creators": [{"name": "A"}]},
        {"id": "w2", "creators": [{"name": "A"}]},
    )

    def existing(ids: Iterable[str]) -> set[str]:
        asked.append(list(ids))
        return {"w2"} & set(asked[-1])

    with pytest.raises(ImportRejected) as caught:
        resolve_plan(plan, PartyIndex(), importer_id="p_i", at=AT, existing_work_ids=existing)
    assert [str(e) for e in caught.value.errors] == ["line 2: id 'w2' is already registered"]
    assert asked == [["w1", "w2"]]


def test_generated_work_ids_avoid_registered_ones(tmp_path: Path) -> None:
    result = resolve(tmp_path, {"creators": [{"name": "A"}]}, existing={"w_1"})
    assert result.works[0].id == "w_2"


def test_resolution_problems_are_all_reported_with_lines(tmp_path: Path) -> None:
    parties = [
        Party("p_a", "Ann Lee", PartyKind.CREATOR, isni=ISNI),
        Party("p_b", "Ann Lee", PartyKind.CREATOR),
        Party("p_dev", "Dev", PartyKind.DEVELOPER),
    ]
    found = rejected(
        tmp_path,
        {"creators": [{"name": "Fine"}]},
        {"creators": [{"name": "Ann Lee"}]},
        {"creators": [{"name": "Fine"}], "rightsholders": [{"name": "Dev"}]},
        {
            "creators": [
                {"name": "X", "consent": {"search": "granted"}},
                {"name": "X", "role": "editor", "consent": {"search": "withheld"}},
            ]
        },
        parties=parties,
    )
    assert found == [
        f"line 2: creator name 'Ann Lee' matches two parties: p_a (ISNI {ISNI}) and p_b; "
        "give an id, ISNI or IPI",
        "line 3: rightsholder name 'Dev' is the developer p_dev; a developer cannot be a "
        "rightsholder",
        "line 4: 'X' (p_6) is listed twice with different consent for search: granted and withheld",
    ]


def test_generated_work_ids_never_repeat_within_an_import(tmp_path: Path) -> None:
    ids = iter(["w_a", "w_a", "w_b", "w_c"])
    plan = plan_of(tmp_path, {"creators": [{"name": "A"}]}, {"creators": [{"name": "A"}]})
    index = PartyIndex(new_id=lambda prefix: next(ids) if prefix == "w" else "p_1")
    result = resolve_plan(plan, index, importer_id="p_i", at=AT, existing_work_ids=no_existing)
    assert [w.id for w in result.works] == ["w_a", "w_b"]
