"""Video end to end: a registered film is found in files and in a scanned corpus, re-encoded,
resized and cut; a black clip is refused; a broken one is unreadable. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from consentry.actions import parties, works
from consentry.actions.match import match_files
from consentry.actions.scan import scan
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.domain import PartyKind
from consentry.fingerprint.video import VIDEO_SCHEME
from video_clips import black, clip, scenes

SIZE = (96, 64)


@pytest.fixture
def ws(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "log.key"))
    workspace = init(database_url)
    parties.add_party(workspace, "Di Rector", PartyKind.CREATOR, party_id="p_di")
    film = list(scenes(1, 50, 2, SIZE))
    (tmp_path / "film.mkv").write_bytes(clip(film, fps=2))
    work = works.add_work(
        workspace,
        tmp_path / "film.mkv",
        title="Film",
        work_id="film",
        creators=[{"name": "Di Rector"}],
    )
    assert VIDEO_SCHEME in work.fingerprints.near
    yield workspace
    workspace.close()


def _corpus(root: Path) -> Path:
    film = list(scenes(1, 50, 2, SIZE))
    corpus = root / "corpus"
    corpus.mkdir()
    files = {
        "small.mp4": clip(film, fps=2, size=(64, 48), codec="libx264", container="mp4"),
        "cut.mp4": clip(film[10:80], fps=2, codec="libx264", container="mp4"),  # 5 s-40 s
        "other.mkv": clip(list(scenes(2, 40, 2, SIZE)), fps=2),
        "mirrored.mp4": clip(_mirror(film), fps=2, codec="libx264", container="mp4"),
        "other-mirrored.mkv": clip(_mirror(list(scenes(3, 40, 2, SIZE))), fps=2),
        "dark.mkv": clip(black(20, 2, SIZE), fps=2),
        "broken.mkv": clip(film, fps=2)[:300],
    }
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    return corpus


def _mirror(frames: list[np.ndarray]) -> list[np.ndarray]:
    """The frames flipped left-right (a re-upload dodging a match)."""
    return [np.ascontiguousarray(f[:, ::-1]) for f in frames]


def test_match_files_finds_the_film_resized_and_cut(ws: Workspace, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    found = {f.path.name: f.result for f in match_files(ws, sorted(corpus.iterdir()))}
    assert [(m.work_id, m.kind.value) for m in found["small.mp4"].matches] == [("film", "near")]
    (cut,) = found["cut.mp4"].matches
    assert cut.kind.value == "excerpt" and abs(cut.evidence["frames"]["offset_s"] - 5.0) <= 1.0
    assert found["other.mkv"].matches == () and found["other.mkv"].searched
    (mirrored,) = found["mirrored.mp4"].matches
    assert mirrored.work_id == "film" and mirrored.kind.value == "near"
    assert mirrored.evidence["frames"]["mirrored"] is True
    assert found["other-mirrored.mkv"].matches == () and found["other-mirrored.mkv"].searched
    assert (found["dark.mkv"].refused or "").startswith("low_information: picture")
    assert (found["broken.mkv"].refused or "").startswith("unreadable:")


def test_a_scan_excludes_the_unlicensed_film_with_its_evidence(
    ws: Workspace, tmp_path: Path
) -> None:
    scan(ws, _corpus(tmp_path), tmp_path / "out")
    rows = {
        r["item_id"]: r
        for r in map(json.loads, (tmp_path / "out" / "manifest.jsonl").read_text().splitlines())
    }
    assert rows["small.mp4"]["match"] == "near" and rows["cut.mp4"]["match"] == "excerpt"
    assert rows["small.mp4"]["matches"][0]["evidence"]["frames"]["frames"] >= 20
    assert rows["broken.mkv"]["reasons"][0].startswith("unreadable:")
    assert rows["other.mkv"]["reasons"] == ["unknown"]
    assert rows["mirrored.mp4"]["match"] == "near" and rows["mirrored.mp4"]["decision"] == "exclude"
    assert rows["mirrored.mp4"]["matches"][0]["evidence"]["frames"]["mirrored"] is True
    assert rows["other-mirrored.mkv"]["reasons"] == ["unknown"]


def test_cli_match_prints_the_video_evidence_and_fails_on_a_refused_clip(
    ws: Workspace, database_url: str, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path)
    runner = CliRunner()
    found = runner.invoke(app, ["--db", database_url, "match", "--json", str(corpus / "cut.mp4")])
    assert found.exit_code == 0, found.output
    (row,) = json.loads(found.output)
    assert row["kind"] == "video" and row["matches"][0]["work_id"] == "film"
    assert set(row["matches"][0]["evidence"]) == {"frames"}
    dark = runner.invoke(app, ["--db", database_url, "match", str(corpus / "dark.mkv")])
    assert dark.exit_code == 1


def test_a_webdataset_sample_holding_only_a_video_is_scanned_as_the_video_file_is(
    ws: Workspace, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path)
    film = list(scenes(1, 50, 2, SIZE))
    members = {
        "a.mp4": (corpus / "small.mp4").read_bytes(),
        "b.mkv": (corpus / "other.mkv").read_bytes(),
        "c.webm": clip(film[10:80], fps=2, codec="libvpx", container="webm"),  # 5 s-40 s
        "d.mkv": (corpus / "broken.mkv").read_bytes(),
    }
    shards = tmp_path / "shards"
    shards.mkdir()
    with tarfile.open(shards / "v.tar", "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    scan(ws, shards, tmp_path / "out")
    rows = {
        r["item_id"]: r
        for r in map(json.loads, (tmp_path / "out" / "manifest.jsonl").read_text().splitlines())
    }
    assert rows["v.tar#a"]["match"] == "near" and rows["v.tar#a"]["work_id"] == "film"
    assert rows["v.tar#a"]["matches"][0]["evidence"]["frames"]["frames"] >= 20
    assert rows["v.tar#c"]["match"] == "excerpt" and rows["v.tar#c"]["decision"] == "exclude"
    assert rows["v.tar#b"]["reasons"] == ["unknown"]
    assert rows["v.tar#d"]["reasons"][0].startswith("unreadable:")
    assert "no content member" not in json.dumps(rows)
