"""A scan's output folder is remembered, used by default, and refused once moved or edited."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from handoffs_world import ADA, DEV, World, build, item_ids
from typer.testing import CliRunner

from consentry.actions import log, models
from consentry.actions.complaints import Subject, file_complaint
from consentry.actions.outputs import locate_outputs, output_folder
from consentry.actions.remove import remove_work
from consentry.actions.report import write_report
from consentry.cli.app import app
from consentry.errors import InvalidInput, NotFound
from consentry.licensing.complaints_check import Verdict


@pytest.fixture
def world(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A fresh world per test (see ``handoffs_world``)."""
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    built = build(database_url, tmp_path)
    yield built
    built.ws.close()


def test_the_scan_folder_is_recorded_and_is_the_default_for_removal(world: World) -> None:
    assert output_folder(world.ws, world.dataset) == world.scan_dir.resolve()
    done = remove_work(world.ws, "ps", world.dataset)  # no source_dir: the recorded folder
    assert item_ids(done.out_dir)["psalms.txt"] == "exclude"
    # The removal's own new version is recorded too: a second removal needs no folder either.
    assert output_folder(world.ws, done.removal.new_dataset_version_id) == done.out_dir.resolve()
    again = remove_work(world.ws, "ruth", done.removal.new_dataset_version_id)
    assert item_ids(again.out_dir) == {
        "note.txt": "exclude",
        "psalms.txt": "exclude",
        "ruth.txt": "exclude",
    }


def test_a_moved_folder_is_refused_clearly_and_can_be_located(world: World) -> None:
    moved = world.root / "elsewhere"
    world.scan_dir.rename(moved)
    before = len(log.entries(world.ws))
    with pytest.raises(InvalidInput, match="no longer there") as refused:
        remove_work(world.ws, "ps", world.dataset)
    assert refused.value.hint is not None and "--from DIR" in refused.value.hint
    assert f"consentry datasets locate {world.dataset}" in refused.value.hint
    assert len(log.entries(world.ws)) == before
    # A folder holding another manifest is refused; the right one is recorded.
    other = world.root / "other"
    other.mkdir()
    (other / "manifest.jsonl").write_bytes((moved / "manifest.jsonl").read_bytes() + b"\n")
    with pytest.raises(InvalidInput, match="is another manifest"):
        locate_outputs(world.ws, world.dataset, other)
    with pytest.raises(InvalidInput, match="no readable manifest"):
        locate_outputs(world.ws, world.dataset, world.root / "corpus")
    assert locate_outputs(world.ws, world.dataset, moved) == moved.resolve()
    assert output_folder(world.ws, world.dataset) == moved.resolve()
    assert item_ids(remove_work(world.ws, "ps", world.dataset).out_dir)["psalms.txt"] == "exclude"


def test_an_edited_manifest_is_refused_everywhere_it_is_the_default(world: World) -> None:
    manifest = world.scan_dir / "manifest.jsonl"
    original = manifest.read_bytes()
    manifest.write_bytes(original.replace(b'"exclude"', b'"include"'))
    before = len(log.entries(world.ws))
    with pytest.raises(InvalidInput, match="edited or replaced since the scan"):
        remove_work(world.ws, "ps", world.dataset)
    models.add_model_version(world.ws, "nw", "1", developer_ref=DEV)
    with pytest.raises(InvalidInput, match="edited or replaced"):
        _cli(world, "models", "record-training", "nw", "--version", "1", "--dataset", world.dataset)
    # A complaint is still filed, but the edited manifest is not read: unchecked.
    filed = file_complaint(world.ws, ADA, DEV, "ps", Subject(dataset_version_id=world.dataset))
    assert filed.check.verdict is Verdict.UNCHECKED
    assert len(log.entries(world.ws)) == before + 1
    manifest.write_bytes(original)
    filed = file_complaint(world.ws, ADA, DEV, "ps", Subject(dataset_version_id=world.dataset))
    assert filed.check.verdict is Verdict.LICENSED_USE
    assert [r.item_id for r in filed.check.rows] == ["psalms.txt"]


def test_training_and_reports_take_the_recorded_folder(world: World, tmp_path: Path) -> None:
    models.add_model_version(world.ws, "nw", "1", developer_ref=DEV)
    out = _cli(
        world, "models", "record-training", "nw", "--version", "1", "--dataset", world.dataset
    )
    assert "usage per work not recorded" not in out
    code, usage = _run(world, "ledger", "usage", "nw", "--version", "1", "--json")
    assert code == 0 and '"work_id": "ps"' in usage and '"work_id": "ruth"' in usage
    written = write_report(world.ws, "nw", "1", tmp_path / "report")
    assert written.files and written.report_sha256
    shutil.rmtree(world.scan_dir)
    with pytest.raises(NotFound, match="no longer there"):
        write_report(world.ws, "nw", "1", tmp_path / "report-2")


def _run(world: World, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", world.ws.url, *args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def _cli(world: World, *args: str) -> str:
    code, out = _run(world, *args)
    if code != 0:
        raise InvalidInput(out)
    return out
