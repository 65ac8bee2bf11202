"""``consentry remove`` on a real registry: the new version, its files, entries and certificate."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from consentry.actions import consent, licences, log, models, parties, remove_outputs, works
from consentry.actions.remove import RemovalResult, remove_work
from consentry.actions.scan import scan
from consentry.actions.verify_certificate import verify_file
from consentry.actions.workspace import Workspace, init
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import InvalidInput, NotFound
from consentry.evidence.certificate_verify import schema
from consentry.policy import Regime
from consentry.store.removals import RemovalStore

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"


def _words(name: str, start: int, stop: int) -> list[str]:
    return (TEXTS / name).read_text(encoding="utf-8").split()[start:stop]


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    parties.add_party(workspace, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    for name, work_id in (("ruth.txt", "ruth"), ("psalms-1-8.txt", "ps")):
        works.add_work(
            workspace,
            TEXTS / name,
            title=work_id,
            work_id=work_id,
            creators=[{"name": "Ada Quill"}],
        )
        consent.set_consent(workspace, work_id, "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    licences.grant_licence(workspace, "Northwind AI", ["ruth", "ps"], [Use.AI_TRAINING])
    yield workspace
    workspace.close()


def _corpus(root: Path) -> Path:
    corpus = root / "corpus"
    (corpus / "books").mkdir(parents=True)
    (corpus / "books" / "ruth.txt").write_bytes((TEXTS / "ruth.txt").read_bytes())
    (corpus / "books" / "psalms.txt").write_bytes((TEXTS / "psalms-1-8.txt").read_bytes())
    # Ruth excerpted and reflowed (eight words a line, lower case) inside an essay.
    excerpt = _words("ruth.txt", 40, 340)
    lines = [" ".join(excerpt[i : i + 8]).lower() for i in range(0, len(excerpt), 8)]
    essay = "On loyalty, an essay.\n\n" + "\n".join(lines) + "\n\nThus the essay ends.\n"
    (corpus / "essay.txt").write_text(essay, encoding="utf-8")
    return corpus


@pytest.fixture
def scanned(ws: Workspace, tmp_path: Path) -> tuple[str, Path]:
    """A scanned dataset version holding Ruth twice (a copy, an excerpt) and Psalms."""
    summary = scan(ws, _corpus(tmp_path), tmp_path / "scan", developer_ref="p_dev")
    assert summary.dataset_version is not None and summary.included == 3
    return summary.dataset_version, tmp_path / "scan"


def _rows(folder: Path) -> dict[str, dict[str, object]]:
    lines = (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["item_id"]: r for r in map(json.loads, lines)}


def _remove(ws: Workspace, work: str, dataset: str, scan_dir: Path) -> RemovalResult:
    return remove_work(ws, work, dataset, reason="the author asked", source_dir=scan_dir)


def test_removal_writes_a_new_version_without_the_work_and_its_near_copies(
    ws: Workspace, scanned: tuple[str, Path]
) -> None:
    dataset, scan_dir = scanned
    models.add_model_version(ws, "nw", "1")
    models.record_training(ws, "nw", "1", dataset)
    result = _remove(ws, "ruth", dataset, scan_dir)
    assert result.items == ("books/ruth.txt", "essay.txt")
    rows = _rows(result.out_dir)
    assert rows["essay.txt"]["decision"] == "exclude"
    assert rows["essay.txt"]["reasons"] == [f"removed:{result.removal.id}"]
    assert rows["essay.txt"]["match"] == "excerpt"
    assert rows["books/psalms.txt"] == _rows(scan_dir)["books/psalms.txt"]
    cleared = sorted(p.name for p in (result.out_dir / "cleared").rglob("*") if p.is_file())
    assert cleared == ["psalms.txt"]
    summary = json.loads((result.out_dir / "summary.json").read_text())
    assert (summary["included"], summary["reasons"]["removed"]) == (1, 2)
    assert summary["dataset_version"] == result.removal.new_dataset_version_id
    assert result.old_root != result.new_root
    assert [m["name"] for m in result.models] == ["nw"]
    cert = json.loads(result.certificate.read_text(encoding="utf-8"))
    Draft202012Validator(schema()).validate(cert)
    assert cert["claims"]["removed"]["count"] == 2
    assert cert["claims"]["models"][0]["flag"] == "retrain_or_unlearn"
    html = result.html.read_text(encoding="utf-8")
    assert "essay.txt" in html and "cannot prove" in html
    types = [e.type for e in log.entries(ws)[-4:]]
    assert types == [
        "removal.requested",
        "dataset.committed",
        "removal.completed",
        "certificate.issued",
    ]
    assert log.verify(ws).ok
    with ws.transaction() as registry:
        stored = RemovalStore(registry.conn).get_removal(result.removal.id)
    assert stored.reason == "the author asked" and stored.items_removed == 2
    assert stored.certificate == result.certificate.read_text(encoding="utf-8")
    assert "the author asked" not in b"".join(e.body for e in log.entries(ws)).decode()


def test_the_certificate_verifies_offline_with_the_creators_file(
    ws: Workspace, scanned: tuple[str, Path], tmp_path: Path
) -> None:
    dataset, scan_dir = scanned
    result = _remove(ws, "ruth", dataset, scan_dir)
    key = log.public_key(ws)
    hashes = result.out_dir / "included-hashes.bin"
    report = verify_file(result.certificate, key=key, work=TEXTS / "ruth.txt", hashes=hashes)
    assert report.ok, report.failures
    assert any("your file's hash(es)" in p for p in report.proven)
    # A re-encoded copy (Windows line endings) keeps its content hash: still covered.
    crlf = tmp_path / "ruth-crlf.txt"
    crlf.write_bytes((TEXTS / "ruth.txt").read_bytes().replace(b"\n", b"\r\n"))
    report = verify_file(result.certificate, key=key, work=crlf)
    assert report.ok and any("found by matching, not by hashes" in n for n in report.not_proven)
    # Another work's file is not covered: said plainly, and a failure.
    other = verify_file(result.certificate, key=key, work=TEXTS / "jonah.txt")
    assert not other.ok
    # Another log's key does not verify it.
    from consentry.evidence.note import Signer

    stranger = Signer.generate("consentry.local/log").verifier().text()
    assert not verify_file(result.certificate, key=stranger).ok


def test_a_work_registered_after_the_scan_is_found_by_matching(
    ws: Workspace, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    quote = _words("jonah.txt", 10, 300)
    (corpus / "sermon.txt").write_text("A sermon.\n" + " ".join(quote).upper(), encoding="utf-8")
    (corpus / "psalms.txt").write_bytes((TEXTS / "psalms-1-8.txt").read_bytes())
    summary = scan(ws, corpus, tmp_path / "scan", developer_ref="p_dev", regime=Regime.RESERVATION)
    assert summary.included == 2 and summary.dataset_version is not None
    works.add_work(
        ws, TEXTS / "jonah.txt", title="jonah", work_id="jonah", creators=[{"name": "Ada Quill"}]
    )
    result = _remove(ws, "jonah", summary.dataset_version, tmp_path / "scan")
    assert result.items == ("sermon.txt",)
    report = verify_file(result.certificate, key=log.public_key(ws))
    assert report.ok, report.failures


def test_a_work_not_in_the_version_still_gets_a_certificate_of_nothing_removed(
    ws: Workspace, scanned: tuple[str, Path], tmp_path: Path
) -> None:
    dataset, scan_dir = scanned
    works.add_work(
        ws, TEXTS / "jonah.txt", title="jonah", work_id="jonah", creators=[{"name": "Ada Quill"}]
    )
    result = _remove(ws, "jonah", dataset, scan_dir)
    assert result.items == () and result.old_root == result.new_root
    cert = json.loads(result.certificate.read_text(encoding="utf-8"))
    assert cert["claims"]["removed"] == {"count": 0, "items": []}
    assert len(cert["claims"]["proven_absent"]) == 2
    report = verify_file(result.certificate, key=log.public_key(ws), work=TEXTS / "jonah.txt")
    assert report.ok, report.failures


def test_removing_from_a_version_a_removal_wrote_finds_its_folder_and_flags_older_models(
    ws: Workspace, scanned: tuple[str, Path]
) -> None:
    dataset, scan_dir = scanned
    models.add_model_version(ws, "nw", "1")
    models.record_training(ws, "nw", "1", dataset)
    first = _remove(ws, "ruth", dataset, scan_dir)
    second = remove_work(ws, "ps", first.removal.new_dataset_version_id)
    assert second.items == ("books/psalms.txt",)
    assert [m["dataset"] for m in second.models] == [dataset]
    assert not list((second.out_dir / "cleared").rglob("*.txt"))
    assert verify_file(second.certificate, key=log.public_key(ws)).ok


@pytest.mark.parametrize(
    ("work", "dataset", "error"),
    [("nobody", None, NotFound), ("ruth", "ds_missing", NotFound)],
)
def test_unknown_work_or_dataset_changes_nothing(
    ws: Workspace,
    scanned: tuple[str, Path],
    work: str,
    dataset: str | None,
    error: type[Exception],
) -> None:
    version, scan_dir = scanned
    before = len(log.entries(ws))
    with pytest.raises(error):
        remove_work(ws, work, dataset or version, source_dir=scan_dir)
    assert len(log.entries(ws)) == before
    assert sorted(p.name for p in scan_dir.parent.iterdir() if p.name.startswith("scan")) == [
        "scan"
    ]


def test_bad_folders_and_a_changed_corpus_are_refused_and_change_nothing(
    ws: Workspace, scanned: tuple[str, Path], tmp_path: Path
) -> None:
    dataset, scan_dir = scanned
    before = len(log.entries(ws))
    with pytest.raises(InvalidInput, match="--from"):
        remove_work(ws, "ruth", dataset, source_dir=tmp_path / "nowhere")
    with pytest.raises(InvalidInput, match="manifest"):
        remove_work(ws, "ruth", dataset, source_dir=tmp_path / "corpus")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "x").write_text("mine")
    with pytest.raises(InvalidInput, match="not empty"):
        remove_work(ws, "ruth", dataset, source_dir=scan_dir, out_dir=busy)
    assert (busy / "x").read_text() == "mine"
    (tmp_path / "corpus" / "books" / "psalms.txt").write_text("changed", encoding="utf-8")
    with pytest.raises(InvalidInput, match="changed since the scan"):
        remove_work(ws, "ruth", dataset, source_dir=scan_dir, out_dir=tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert len(log.entries(ws)) == before


def test_a_manifest_changed_between_the_removals_passes_is_refused(
    ws: Workspace, scanned: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The manifest is read twice (streamed); the second pass re-checks its bytes."""
    dataset, scan_dir = scanned
    before = len(log.entries(ws))
    real = remove_outputs.select_items

    def then_edit(*args: Any, **kwargs: Any) -> Any:
        selection = real(*args, **kwargs)
        manifest = scan_dir / "manifest.jsonl"
        manifest.write_bytes(manifest.read_bytes().replace(b'"include"', b'"exclude"', 1))
        return selection

    monkeypatch.setattr("consentry.actions.remove.select_items", then_edit)
    with pytest.raises(InvalidInput, match="changed while the removal read it"):
        remove_work(ws, "ruth", dataset, source_dir=scan_dir, out_dir=tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert len(log.entries(ws)) == before
