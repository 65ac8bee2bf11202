"""Usage per work from a scan's manifest: ``record-training`` with a scan folder, ``work_usage``."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from consentry.actions import consent, ledger, licences, log, models, parties, works
from consentry.actions.ledger import TrainingSource
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import InvalidInput, NotFound
from consentry.provenance import TrainedOn

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"
T = datetime(2026, 11, 2, tzinfo=UTC)


def _words(name: str, start: int, stop: int) -> str:
    return " ".join((TEXTS / name).read_text(encoding="utf-8").split()[start:stop])


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(workspace, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    for name, work_id in (("ruth.txt", "ruth"), ("jonah.txt", "jonah"), ("psalms-1-8.txt", "ps")):
        works.add_work(
            workspace,
            TEXTS / name,
            title=work_id,
            work_id=work_id,
            creators=[{"name": "Ada Quill"}],
        )
    consent.set_consent(workspace, "ruth", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    licences.grant_licence(
        workspace,
        "Northwind AI",
        ["ruth"],
        [Use.AI_TRAINING],
        starts_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    consent.set_consent(workspace, "jonah", "p_ada", Use.GENAI_TRAINING, ConsentState.WITHHELD)
    models.add_model_version(workspace, "tiny", "1", developer_ref="p_dev")
    yield workspace
    workspace.close()


@pytest.fixture
def scanned(ws: Workspace, tmp_path: Path) -> tuple[str, Path, dict[str, str]]:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    texts = {
        "ruth.txt": (TEXTS / "ruth.txt").read_text(encoding="utf-8"),
        "jonah-excerpt.txt": "A sermon.\n" + _words("jonah.txt", 20, 300).lower(),
        "anthology.txt": _words("ruth.txt", 0, 250) + "\n\n" + _words("psalms-1-8.txt", 0, 250),
        "notes.txt": "Shopping list: bread, milk, eggs, tea. " * 20,
    }
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    summary = scan(ws, corpus, tmp_path / "out", developer_ref="p_dev")
    assert summary.dataset_version is not None
    return summary.dataset_version, tmp_path / "out", texts


def _model_id(ws: Workspace) -> str:
    [(model, _)] = models.list_model_versions(ws)
    return model.id


def test_cleared_training_counts_only_included_items_times_epochs(
    ws: Workspace, scanned: tuple[str, Path, dict[str, str]]
) -> None:
    dataset, out, texts = scanned
    models.record_training(
        ws, "tiny", "1", dataset, epochs=3, source=TrainingSource(out), trained_at=T
    )
    [usage] = ledger.work_usage(ws, _model_id(ws))
    ruth = texts["ruth.txt"]
    assert usage.work_id == "ruth" and usage.items == 3 and usage.epochs == 3
    assert usage.bytes == 3 * len(ruth.encode("utf-8"))
    assert usage.tokens == 3 * math.ceil(len(ruth) / 4)
    assert usage.licence_id is not None and not usage.past_use
    assert usage.dataset_version_id == dataset
    entries = [json.loads(e.body) for e in log.entries(ws)]
    assert [e["type"] for e in entries[-2:]] == ["model.trained", "usage.recorded"]
    assert entries[-1]["works"] == 1 and entries[-1]["past_uses"] == 0


def test_training_on_all_makes_excluded_works_past_uses(
    ws: Workspace, scanned: tuple[str, Path, dict[str, str]]
) -> None:
    dataset, out, texts = scanned
    models.record_training(
        ws, "tiny", "1", dataset, used=TrainedOn.ALL, source=TrainingSource(out), trained_at=T
    )
    found = {u.work_id: u for u in ledger.work_usage(ws, _model_id(ws))}
    assert sorted(found) == ["jonah", "ps", "ruth"]
    assert found["ruth"].items == 2 and not found["ruth"].past_use
    assert found["ruth"].bytes == len(texts["ruth.txt"].encode()) + len(
        texts["anthology.txt"].encode()
    )
    assert found["jonah"].past_use and found["jonah"].licence_id is None
    assert found["ps"].past_use and found["ps"].items == 1


def test_bad_input_records_nothing(
    ws: Workspace, scanned: tuple[str, Path, dict[str, str]], tmp_path: Path
) -> None:
    dataset, out, _ = scanned
    before = len(log.entries(ws))
    with pytest.raises(NotFound):
        models.record_training(ws, "tiny", "1", "ds_nope", source=TrainingSource(out))
    with pytest.raises(NotFound):
        models.record_training(ws, "huge", "1", dataset, source=TrainingSource(out))
    with pytest.raises(NotFound):
        ledger.work_usage(ws, "mv_nope")
    with pytest.raises(InvalidInput, match="epochs"):
        models.record_training(ws, "tiny", "1", dataset, epochs=0, source=TrainingSource(out))
    other = tmp_path / "other"
    other.mkdir()
    (other / "manifest.jsonl").write_text("{}\n")
    with pytest.raises(InvalidInput, match="not the manifest"):
        models.record_training(ws, "tiny", "1", dataset, source=TrainingSource(other))
    with pytest.raises(InvalidInput, match="not there"):
        models.record_training(
            ws, "tiny", "1", dataset, source=TrainingSource(out, corpus=tmp_path / "gone")
        )
    assert len(log.entries(ws)) == before
    assert ledger.work_usage(ws, _model_id(ws)) == []
