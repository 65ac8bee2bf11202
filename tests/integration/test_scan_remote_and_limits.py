"""Corpora behind fsspec URLs, and the per-item time limit, through real scans."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import pytest

from consentry.actions import parties, works
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.corpus.remote import is_url, stage_remote
from consentry.domain import PartyKind
from consentry.errors import InvalidInput
from consentry.scan.limits import ItemTimeLimit, time_limit

TEXTS = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples" / "texts"


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    workspace = init(database_url)
    parties.add_party(workspace, "Northwind AI", PartyKind.DEVELOPER, party_id="p_dev")
    works.add_work(
        workspace, TEXTS / "ruth.txt", title="Ruth", work_id="ruth", creators=[{"name": "Ada"}]
    )
    yield workspace
    workspace.close()


def _files() -> dict[str, bytes]:
    return {
        "books/ruth.txt": (TEXTS / "ruth.txt").read_bytes(),
        "notes.txt": b"Shopping list: bread, milk, eggs, tea. " * 20,
        "deep/er/jonah.txt": (TEXTS / "jonah.txt").read_bytes(),
    }


def _manifest(out: Path) -> list[dict[str, object]]:
    rows = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    return sorted(rows, key=lambda r: str(r["item_id"]))


def test_a_corpus_behind_a_url_scans_like_its_local_copy(ws: Workspace, tmp_path: Path) -> None:
    prefix = f"memory://corpus-{uuid.uuid4().hex}"
    fs = fsspec.filesystem("memory")
    local = tmp_path / "local"
    for name, data in _files().items():
        fs.pipe(f"{prefix}/{name}", data)
        (local / name).parent.mkdir(parents=True, exist_ok=True)
        (local / name).write_bytes(data)
    remote = scan(ws, prefix, tmp_path / "out-remote", developer_ref="p_dev")
    here = scan(ws, local, tmp_path / "out-local", developer_ref="p_dev")
    strip = [
        {k: v for k, v in r.items() if k != "dataset"} for r in _manifest(tmp_path / "out-remote")
    ]
    assert strip == [
        {k: v for k, v in r.items() if k != "dataset"} for r in _manifest(tmp_path / "out-local")
    ]
    assert [r["item_id"] for r in strip] == sorted(_files())
    assert remote.params.corpus == prefix and here.items == remote.items == 3
    assert (
        tmp_path / "out-remote" / "cleared" / "notes.txt"
    ).exists() is False  # unknown: excluded
    assert not (tmp_path / "out-remote" / ".remote").exists(), "the staged copy is removed"


def test_staging_skips_files_already_there_and_keeps_single_files_named(tmp_path: Path) -> None:
    prefix = f"memory://one-{uuid.uuid4().hex}"
    fsspec.filesystem("memory").pipe(f"{prefix}/part-0.jsonl", b'{"text": "hi"}\n')
    fetched: list[str] = []
    path = stage_remote(
        f"{prefix}/part-0.jsonl", tmp_path / "s", on_fetched=lambda n, s: fetched.append(n)
    )
    assert path == tmp_path / "s" / "part-0.jsonl" and path.read_bytes() == b'{"text": "hi"}\n'
    before = path.stat().st_mtime_ns
    stage_remote(f"{prefix}/part-0.jsonl", tmp_path / "s")
    assert path.stat().st_mtime_ns == before, "a staged file of the same size is not fetched again"
    assert fetched == ["part-0.jsonl"]


def test_a_missing_remote_corpus_or_protocol_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="no corpus at"):
        stage_remote(f"memory://absent-{uuid.uuid4().hex}", tmp_path / "s")
    with pytest.raises(InvalidInput, match="cannot open"):
        stage_remote("nosuchprotocol://bucket/corpus", tmp_path / "s")
    assert is_url("s3://b/c") and is_url("hf://datasets/x")
    assert not is_url("corpus/books") and not is_url("file:///tmp/x") and not is_url("C:\\x")


def test_an_item_past_its_time_limit_is_excluded_and_the_scan_goes_on(
    ws: Workspace, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "big.txt").write_bytes((TEXTS / "ruth.txt").read_bytes() * 40)
    (corpus / "small.txt").write_text("A note. " * 30)
    scan(ws, corpus, tmp_path / "out", developer_ref="p_dev", item_seconds=0.001)
    rows = {str(r["item_id"]): r for r in _manifest(tmp_path / "out")}
    assert rows["big.txt"]["decision"] == "exclude"
    assert rows["big.txt"]["reasons"] == ["unreadable:timeout: took longer than 0.001 s"]
    assert set(rows) == {"big.txt", "small.txt"}, "every item is in the manifest"


def test_time_limit_interrupts_python_work_and_disarms_after() -> None:
    with pytest.raises(ItemTimeLimit), time_limit(0.05):
        while True:
            time.sleep(0.001)
    with time_limit(0.05):
        pass
    time.sleep(0.1)  # a timer left armed would raise here
    with time_limit(None):
        time.sleep(0.01)
