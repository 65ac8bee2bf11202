"""The actions (the Python API the CLI and service call), on a real database."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from consentry.actions import consent, licences, mandates, parties, works
from consentry.actions.fingerprints import fingerprint_file
from consentry.actions.workspace import Workspace, init, open_workspace
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import ConflictError, DatabaseNotReady, InvalidInput

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "src" / "consentry" / "samples"


@pytest.fixture
def ws(database_url: str) -> Iterator[Workspace]:
    workspace = init(database_url)
    yield workspace
    workspace.close()


def _register_ruth(ws: Workspace) -> None:
    parties.add_party(ws, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(ws, "Lantern Press", PartyKind.RIGHTSHOLDER, party_id="p_lantern")
    parties.add_party(ws, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    works.add_work(
        ws,
        SAMPLES / "texts" / "ruth.txt",
        title="Ruth",
        work_id="ruth",
        creators=[{"name": "Ada Quill"}],
        rightsholders=[{"name": "Lantern Press"}],
    )


def test_open_workspace_on_an_empty_database_says_to_init(database_url: str) -> None:
    with pytest.raises(DatabaseNotReady, match="consentry init"):
        open_workspace(database_url)


def test_added_work_has_its_parties_and_exact_fingerprints(ws: Workspace) -> None:
    _register_ruth(ws)
    work = works.get_work(ws, "ruth")
    assert work.creator_ids == ("p_ada",) and work.rightsholder_ids == ("p_lantern",)
    printed = fingerprint_file(SAMPLES / "texts" / "ruth.txt")
    assert work.fingerprints.sha256 == printed["sha256"]
    assert work.fingerprints.content_sha256 == printed["content_sha256"]
    assert work.fingerprints.norm == "text-v1"


def test_a_work_registered_by_its_printed_fingerprints_matches_the_file(
    ws: Workspace, tmp_path: Path
) -> None:
    printed = fingerprint_file(SAMPLES / "images" / "coffee.jpg")
    row = {
        "id": "coffee",
        "title": "Coffee",
        "kind": "image",
        "fingerprints": printed,
        "creators": [{"name": "Dara Lens", "role": "photographer"}],
    }
    listing = tmp_path / "works.jsonl"
    listing.write_text(json.dumps(row) + "\n")
    report = works.import_works(ws, listing)
    assert report.parties_created == 1
    stored = works.get_work(ws, "coffee").fingerprints
    assert (stored.sha256, stored.content_sha256, stored.norm) == (
        printed["sha256"],
        printed["content_sha256"],
        "image-v1",
    )


def test_import_matches_existing_parties_by_name_and_creates_new_ones(
    ws: Workspace, tmp_path: Path
) -> None:
    _register_ruth(ws)
    rows = [
        {
            "title": "A",
            "kind": "text",
            "identifiers": {"isbn": "0-306-40615-2"},
            "creators": [{"name": "Ada Quill"}, {"name": "Ben Marlow", "role": "translator"}],
        },
        {
            "title": "B",
            "kind": "text",
            "identifiers": {"doi": "10.1000/182"},
            "creators": [{"name": "Ben Marlow"}],
            "consent": {"ai_training": "withheld"},
        },
    ]
    listing = tmp_path / "works.jsonl"
    listing.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = works.import_works(ws, listing)
    assert report.parties_created == 1
    assert report.consents_recorded == 1
    ben = parties.get_party(ws, "Ben Marlow")
    assert {w.title for w in works.list_works(ws, party_id=ben.id)} == {"A", "B"}
    ada_works = works.list_works(ws, party_id="p_ada")
    assert {w.title for w in ada_works} == {"Ruth", "A"}


def test_licence_needs_a_developer_and_assurance_from_every_party(ws: Workspace) -> None:
    _register_ruth(ws)
    with pytest.raises(InvalidInput, match="not a developer"):
        licences.grant_licence(ws, "Lantern Press", ["ruth"], [Use.AI_TRAINING])
    lic = licences.grant_licence(
        ws, "Northwind AI", ["ruth"], [Use.AI_TRAINING], granted_by=["Lantern Press"]
    )
    report = consent.consent_report(ws, "ruth", developer_ref="Northwind AI")
    assert report.decision.code == "unassured"
    assert report.decision.missing == ("p_ada",)
    consent.set_consent(ws, "ruth", "Ada Quill", Use.AI_TRAINING, ConsentState.GRANTED)
    report = consent.consent_report(ws, "ruth", developer_ref="Northwind AI")
    assert report.decision.code == f"licensed:{lic.id}"
    licences.revoke_licence(ws, lic.id)
    report = consent.consent_report(ws, "ruth", developer_ref="Northwind AI")
    assert report.decision.code == "unlicensed"


def test_a_stale_consent_version_is_refused_and_nothing_is_written(ws: Workspace) -> None:
    _register_ruth(ws)
    v1 = consent.set_consent(ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    consent.set_consent(ws, "ruth", "p_lantern", Use.AI_TRAINING, ConsentState.GRANTED)
    with pytest.raises(ConflictError, match="changed by someone else"):
        consent.set_consent(
            ws, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.WITHHELD, expected_version=v1
        )
    history = consent.consent_report(ws, "ruth").consents
    assert [c.state for c in history] == [ConsentState.GRANTED, ConsentState.GRANTED]


def test_party_with_a_taken_isni_is_refused(ws: Workspace) -> None:
    parties.add_party(ws, "Ada Quill", PartyKind.CREATOR, isni="0000 0001 2103 2683")
    with pytest.raises(InvalidInput, match="already has this id, ISNI or IPI"):
        parties.add_party(ws, "A. Quill", PartyKind.CREATOR, isni="0000000121032683")


def test_importing_the_core_loads_no_database_or_cli_code() -> None:
    code = (
        "import sys, consentry, consentry.fingerprint, consentry.registry, consentry.work_import;"
        "bad = [m for m in ('sqlalchemy', 'alembic', 'typer', 'rich') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_public_api_names_all_resolve() -> None:
    import consentry

    for name in consentry.__all__:
        assert getattr(consentry, name) is not None


def test_only_a_works_own_parties_can_grant_a_licence_for_it(ws: Workspace) -> None:
    _register_ruth(ws)
    parties.add_party(ws, "Cleo Ink", PartyKind.CREATOR)
    with pytest.raises(InvalidInput, match="not a creator or rightsholder of these works"):
        licences.grant_licence(
            ws, "Northwind AI", ["ruth"], [Use.AI_TRAINING], granted_by=["Cleo Ink"]
        )
    assert licences.list_licences(ws) == []


def test_import_reports_progress_through_every_stage(ws: Workspace) -> None:
    seen: list[tuple[str, int, int]] = []
    works.import_works(
        ws,
        ROOT / "docs" / "examples" / "catalogue.jsonl",
        progress=lambda stage, done, total: seen.append((stage, done, total)),
    )
    assert [s for s, _, _ in seen][:3] == ["check", "resolve", "write"]
    stage, done, total = seen[-1]
    assert stage == "write" and done == total > 0


def test_a_mandate_answers_for_a_creator_until_the_creator_speaks(ws: Workspace) -> None:
    _register_ruth(ws)
    mandate = mandates.give_mandate(ws, "Lantern Press", ["Ada Quill"], [Use.AI_TRAINING])
    consent.set_consent(
        ws, "ruth", "Ada Quill", Use.AI_TRAINING, ConsentState.WITHHELD, mandate_id=mandate.id
    )
    standing = consent.consent_report(ws, "ruth").decision.parties[0]
    assert (standing.state, standing.mandate_id) == (ConsentState.WITHHELD, mandate.id)
    consent.set_consent(ws, "ruth", "Ada Quill", Use.AI_TRAINING, ConsentState.GRANTED)
    standing = consent.consent_report(ws, "ruth").decision.parties[0]
    assert (standing.state, standing.mandate_id) == (ConsentState.GRANTED, None)
    revoked = mandates.revoke_mandate(ws, mandate.id)
    assert revoked.revoked_at is not None
    with pytest.raises(InvalidInput, match="does not authorise"):
        consent.set_consent(
            ws, "ruth", "Ada Quill", Use.AI_TRAINING, ConsentState.ASK, mandate_id=mandate.id
        )


def test_only_a_rightsholder_can_hold_a_mandate(ws: Workspace) -> None:
    _register_ruth(ws)
    with pytest.raises(InvalidInput, match="only a rightsholder"):
        mandates.give_mandate(ws, "Northwind AI", ["Ada Quill"], [Use.AI_TRAINING])


def test_a_party_is_found_by_id_isni_or_unique_name_with_indexed_lookups(ws: Workspace) -> None:
    from consentry.errors import AmbiguousParty, NotFound

    ada = parties.add_party(ws, "Ada", PartyKind.CREATOR, party_id="p_ada", isni="0000000121032683")
    parties.add_party(ws, "Twin", PartyKind.CREATOR, party_id="p_t1")
    parties.add_party(ws, "Twin", PartyKind.CREATOR, party_id="p_t2")
    parties.add_party(ws, "p_ada", PartyKind.CREATOR, party_id="p_named_like_an_id")
    assert parties.get_party(ws, "p_ada") == ada, "an id wins over a party named like it"
    assert parties.get_party(ws, "0000000121032683") == ada
    assert parties.get_party(ws, "Ada") == ada
    with pytest.raises(AmbiguousParty, match="names 2 parties"):
        parties.get_party(ws, "Twin")
    with pytest.raises(NotFound):
        parties.get_party(ws, "Nobody")
