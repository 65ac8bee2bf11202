"""A registry with two licensed works, one scan holding both, and its recorded outputs.

Shared by the tests of the hand-offs between withdrawal, complaints, removal
and the ledger (``test_handoffs_*.py``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from consentry.actions import consent, licences, log, parties, works
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.domain import ConsentState, PartyKind, Use

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"
ADA, BO, PUB, DEV, ADMIN = "p_ada", "p_bo", "p_pub", "p_dev", "p_admin"


@dataclass
class World:
    """The workspace, the scan's dataset version and folders, and the licence."""

    ws: Workspace
    dataset: str
    scan_dir: Path
    root: Path
    licence_id: str

    def log_types(self) -> list[str]:
        """Every log entry's type, in order."""
        return [e.type for e in log.entries(self.ws)]

    def last_entry(self, type_: str) -> dict[str, object]:
        """The body of the last log entry of ``type_``."""
        found = [e for e in log.entries(self.ws) if e.type == type_]
        body: dict[str, object] = json.loads(found[-1].body)
        return body


def build(database_url: str, tmp_path: Path) -> World:
    """Ruth (Ada 3/4 and Bo 1/4 of the creators' half, Pub the other half) and Psalms (Ada)."""
    ws = init(database_url)
    parties.add_party(ws, "Ada Quill", PartyKind.CREATOR, party_id=ADA)
    parties.add_party(ws, "Bo Reed", PartyKind.CREATOR, party_id=BO)
    parties.add_party(ws, "Lantern Press", PartyKind.RIGHTSHOLDER, party_id=PUB)
    parties.add_party(ws, "Northwind AI", PartyKind.DEVELOPER, party_id=DEV)
    parties.add_party(ws, "The Ombudsman", PartyKind.RIGHTSHOLDER, party_id=ADMIN)
    works.add_work(
        ws, TEXTS / "ruth.txt", title="Ruth", work_id="ruth",
        creators=[{"name": "Ada Quill", "share": "0.75"}, {"name": "Bo Reed", "share": "0.25"}],
        rightsholders=[{"name": "Lantern Press"}],
    )  # fmt: skip
    works.add_work(
        ws, TEXTS / "psalms-1-8.txt", title="Psalms", work_id="ps", creators=[{"name": "Ada Quill"}]
    )
    for work, who in (("ruth", (ADA, BO, PUB)), ("ps", (ADA,))):
        for party in who:
            consent.set_consent(ws, work, party, Use.AI_TRAINING, ConsentState.GRANTED)
    licence = licences.grant_licence(ws, "Northwind AI", ["ruth", "ps"], [Use.AI_TRAINING])
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ruth.txt").write_bytes((TEXTS / "ruth.txt").read_bytes())
    (corpus / "psalms.txt").write_bytes((TEXTS / "psalms-1-8.txt").read_bytes())
    (corpus / "note.txt").write_text("A short note that is nobody's registered work.\n")
    summary = scan(ws, corpus, tmp_path / "scan", developer_ref=DEV)
    assert summary.dataset_version is not None and summary.included == 2
    return World(ws, summary.dataset_version, tmp_path / "scan", tmp_path, licence.id)


def item_ids(folder: Path) -> dict[str, str]:
    """Each manifest row's item id and decision."""
    lines = (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["item_id"]: r["decision"] for r in map(json.loads, lines)}
