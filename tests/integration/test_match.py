"""Matching files against a real registry: the index follows the registry, the CLI reports."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.actions import parties, works
from consentry.actions.index import index_path, refresh_index
from consentry.actions.match import match_files
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.domain import PartyKind
from consentry.matching import MatchKind

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples"
TEXTS = SAMPLES / "texts"


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    workspace = init(database_url)
    parties.add_party(workspace, "Ada Quill", PartyKind.CREATOR, party_id="p_ada")
    yield workspace
    workspace.close()


def _register(ws: Workspace, name: str, work_id: str) -> None:
    works.add_work(
        ws, TEXTS / name, title=work_id.title(), work_id=work_id, creators=[{"name": "Ada Quill"}]
    )


def _excerpt(tmp_path: Path, name: str) -> Path:
    words = (TEXTS / name).read_text(encoding="utf-8").split()
    item = tmp_path / f"quoting-{name}"
    item.write_text("An essay on old books.\n" + " ".join(words[50:350]).upper(), encoding="utf-8")
    return item


def test_the_index_catches_up_with_new_works_without_rebuilding(
    ws: Workspace, tmp_path: Path
) -> None:
    _register(ws, "ruth.txt", "ruth")
    first = refresh_index(ws)
    assert (first.state.count, first.state.last_work_id) == (1, "ruth")
    _register(ws, "jonah.txt", "jonah")
    caught_up = refresh_index(ws)
    assert (caught_up.state.count, caught_up.state.last_work_id) == (2, "jonah")
    assert caught_up.state.last_seq > first.state.last_seq
    [found] = match_files(ws, [_excerpt(tmp_path, "jonah.txt")])
    assert [(m.work_id, m.kind) for m in found.result.matches] == [("jonah", MatchKind.EXCERPT)]
    assert found.titles == {"jonah": "Jonah"}


def test_an_index_of_another_registry_is_rebuilt(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    _register(ws, "ruth.txt", "ruth")
    refresh_index(ws)
    stale = tmp_path / "stale-index"
    shutil.copytree(index_path(ws), stale)
    with ws.transaction() as registry:
        registry.conn.exec_driver_sql("DELETE FROM near_fingerprints")
    _register(ws, "jonah.txt", "jonah")
    shutil.rmtree(index_path(ws))
    shutil.copytree(stale, index_path(ws))
    index = refresh_index(ws)
    assert (index.state.count, index.state.last_work_id) == (1, "jonah")
    assert "ruth" not in index.text


def test_unreadable_and_short_files_are_refused_not_cleared(ws: Workspace, tmp_path: Path) -> None:
    _register(ws, "ruth.txt", "ruth")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\xff\xfe" * 2000)
    short = tmp_path / "short.txt"
    short.write_text("Whither thou goest, I will go.", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    found = {f.path.name: f.result for f in match_files(ws, [garbage, short, empty])}
    assert found["garbage.bin"].refused is not None
    assert found["garbage.bin"].refused.startswith("unreadable:")
    assert (found["short.txt"].refused or "").startswith("too_short")
    assert (found["empty.txt"].refused or "").startswith("unreadable:empty")


def test_cli_match_reports_each_file_and_fails_on_a_refusal(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    _register(ws, "ruth.txt", "ruth")
    runner = CliRunner()
    item = _excerpt(tmp_path, "ruth.txt")
    ok = runner.invoke(app, ["--db", database_url, "match", str(item), "--json"])
    assert ok.exit_code == 0, ok.output
    assert '"kind": "excerpt"' in ok.output and '"work_id": "ruth"' in ok.output
    short = tmp_path / "short.txt"
    short.write_text("Intreat me not to leave thee.", encoding="utf-8")
    refused = runner.invoke(app, ["--db", database_url, "match", str(item), str(short)])
    assert refused.exit_code == 1
    assert "too_short" in refused.output
