"""WebDataset shards: samples grouped by key, hostile members named, cleared copy re-readable."""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentry.corpus import detect_format, open_corpus
from consentry.corpus.webdataset import WebDatasetReader
from consentry.domain import Use, WorkKind
from consentry.errors import InvalidInput
from consentry.matching.works_index import WorksIndex
from consentry.policy import Policy, SourceRule
from consentry.scan import ScanParams, run_scan
from consentry.scan.decide import no_registry
from video_clips import clip, scenes

PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def _member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _shard(path: Path, samples: int, *, prefix: str = "s") -> Path:
    with tarfile.open(path, "w") as tar:
        for n in range(samples):
            key = f"{prefix}{n:05d}"
            if n % 2:
                _member(tar, f"{key}.png", PNG + bytes([n % 256]))
                _member(tar, f"{key}.json", json.dumps({"url": f"https://x.example/{n}"}).encode())
            else:
                _member(tar, f"{key}.txt", f"text of sample {n}".encode())
                _member(tar, f"{key}.cls", b"3")
    return path


def test_samples_are_grouped_by_key_with_the_content_member_chosen(tmp_path: Path) -> None:
    shard = _shard(tmp_path / "a.tar", 4)
    assert detect_format(shard) == "webdataset"
    reader = open_corpus(shard)
    items = list(reader.items(reader.shards()[0]))
    assert [i.item_id for i in items] == [f"a.tar#s{n:05d}" for n in range(4)]
    assert items[0].kind == WorkKind.TEXT and items[0].data == b"text of sample 0"
    assert items[0].meta["members"] == {"cls": "3"}
    assert items[1].kind == WorkKind.IMAGE and items[1].data.startswith(PNG)
    assert items[1].source == "https://x.example/1"
    assert all(i.problem is None for i in items)


def test_json_only_sample_reads_its_text_field(tmp_path: Path) -> None:
    with tarfile.open(tmp_path / "j.tar", "w") as tar:
        _member(tar, "dir/k1.json", json.dumps({"text": "hello", "license": "CC0-1.0"}).encode())
    reader = WebDatasetReader(tmp_path / "j.tar")
    (item,) = reader.items(reader.shards()[0])
    assert item.item_id == "j.tar#dir/k1"
    assert item.data == b"hello" and item.kind == WorkKind.TEXT
    assert item.meta["license"] == "CC0-1.0"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=st.lists(st.integers(0, 30), min_size=1, max_size=3), data=st.data())
def test_every_sample_once_in_order_and_cleared_copy_keeps_exactly_the_kept(
    tmp_path_factory: pytest.TempPathFactory, counts: list[int], data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("wds")
    for n, count in enumerate(counts):
        _shard(root / f"shard{n}.tar", count, prefix=f"k{n}-")
    reader = WebDatasetReader(root)
    shards = reader.shards()
    assert [s.name for s in shards] == [f"shard{n}.tar" for n in range(len(counts))]
    out = tmp_path_factory.mktemp("out")
    for shard, count in zip(shards, counts, strict=True):
        items = list(reader.items(shard))
        assert [i.position for i in items] == list(range(count))
        assert len({i.item_id for i in items}) == count
        keep = set(data.draw(st.sets(st.integers(0, max(count - 1, 0)))) & set(range(count)))
        assert reader.write_cleared(shard, keep, str(out)) == len(keep)
        cleared = WebDatasetReader(out / shard.name)
        again = list(cleared.items(cleared.shards()[0]))
        assert [(i.item_id, i.data, i.meta) for i in again] == [
            (i.item_id, i.data, i.meta) for i in items if i.position in keep
        ]


def _hostile(path: Path, add: Callable[[tarfile.TarFile], None]) -> list[str | None]:
    with tarfile.open(path, "w") as tar:
        _member(tar, "good.txt", b"fine")
        add(tar)
        _member(tar, "after.txt", b"also fine")
    reader = WebDatasetReader(path, max_item_bytes=1000)
    return [i.problem for i in reader.items(reader.shards()[0])]


def test_path_traversal_links_and_devices_are_named_problems(tmp_path: Path) -> None:
    def traversal(tar: tarfile.TarFile) -> None:
        _member(tar, "../evil.txt", b"x")

    def absolute(tar: tarfile.TarFile) -> None:
        _member(tar, "/etc/evil.txt", b"x")

    def symlink(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("link.txt")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)

    def device(tar: tarfile.TarFile) -> None:
        info = tarfile.TarInfo("dev.txt")
        info.type = tarfile.CHRTYPE
        tar.addfile(info)

    for n, add in enumerate((traversal, absolute, symlink, device)):
        problems = _hostile(tmp_path / f"h{n}.tar", add)
        assert problems[0] is None and problems[2] is None
        assert problems[1] is not None and problems[1].startswith("unreadable:unsafe_member")


def test_a_member_over_the_size_cap_is_too_large(tmp_path: Path) -> None:
    def big(tar: tarfile.TarFile) -> None:
        _member(tar, "big.txt", bytes(5000))

    problems = _hostile(tmp_path / "big.tar", big)
    assert problems[1] is not None and problems[1].startswith("unreadable:too_large")
    assert problems[0] is None and problems[2] is None


@pytest.mark.parametrize("cut", [100, 512 * 3 + 7, -1024, -1536])
def test_a_truncated_shard_ends_with_a_named_problem(tmp_path: Path, cut: int) -> None:
    whole = _shard(tmp_path / "w.tar", 6).read_bytes()
    end = len(whole.rstrip(b"\0"))
    size = cut if cut > 0 else end + cut
    (tmp_path / "t.tar").write_bytes(whole[:size])
    reader = WebDatasetReader(tmp_path / "t.tar")
    items = list(reader.items(reader.shards()[0]))
    assert items[-1].problem is not None and "corrupt_tar" in items[-1].problem
    assert len({i.item_id for i in items}) == len(items)


def test_an_empty_or_foreign_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "e.tar").write_bytes(b"")
    (tmp_path / "f.tar").write_bytes(b"not a tar at all" * 100)
    reader = WebDatasetReader(tmp_path)
    for shard in reader.shards():
        (item,) = list(reader.items(shard))
        assert item.problem is not None and item.problem.startswith("unreadable:corrupt_tar")


def test_no_shards_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        WebDatasetReader(tmp_path)


def test_a_scan_clears_the_samples_from_an_allowed_source(tmp_path: Path) -> None:
    corpus = tmp_path / "shards"
    corpus.mkdir()
    with tarfile.open(corpus / "a.tar", "w") as tar:
        for n in range(6):
            _member(tar, f"s{n:05d}.txt", f"a text of sample {n}, written for this test".encode())
            url = f"https://{'x' if n % 2 else 'y'}.example/{n}"
            _member(tar, f"s{n:05d}.json", json.dumps({"url": url}).encode())
    params = ScanParams(
        str(corpus), "webdataset", None, "ai_training", "consent", "2026-11-24T00:00:00Z"
    )
    run_scan(
        open_corpus(corpus),
        tmp_path / "out",
        params=params,
        policy=Policy(Use.AI_TRAINING, rules=(SourceRule("x", "own", prefix="https://x."),)),
        open_snapshot=no_registry,
        index_dir=WorksIndex().save(tmp_path / "index"),
    )
    rows = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert [r["item_id"] for r in rows] == [f"a.tar#s{n:05d}" for n in range(6)]
    with tarfile.open(tmp_path / "out" / "cleared" / "a.tar") as tar:
        names = tar.getnames()
    assert names == [f"s{n:05d}.{ext}" for n in (1, 3, 5) for ext in ("txt", "json")]


def test_an_absurd_declared_size_in_a_short_file_is_bounded_and_named(tmp_path: Path) -> None:
    info = tarfile.TarInfo("huge.txt")
    info.size = 10**12
    ok = tarfile.TarInfo("ok.txt")
    ok.size = 2
    raw = ok.tobuf() + b"ok".ljust(512, b"\0") + info.tobuf() + b"x" * 4096
    (tmp_path / "h.tar").write_bytes(raw)
    reader = WebDatasetReader(tmp_path / "h.tar", max_item_bytes=1000)
    items = list(reader.items(reader.shards()[0]))
    assert items[0].item_id == "h.tar#ok" and items[0].data == b"ok"
    assert items[1].problem is not None and items[1].problem.startswith("unreadable:too_large")
    assert items[-1].problem is not None and "corrupt_tar" in items[-1].problem


@pytest.mark.parametrize(
    ("ext", "codec", "container"),
    [("mp4", "libx264", "mp4"), ("webm", "libvpx", "webm"), ("mkv", "mpeg4", "matroska")],
)
def test_a_sample_whose_only_member_is_a_video_is_a_video_item(
    tmp_path: Path, ext: str, codec: str, container: str
) -> None:
    video = clip(list(scenes(3, 4, 2, (64, 48))), fps=2, size=(64, 48), codec=codec,
                 container=container)  # fmt: skip
    with tarfile.open(tmp_path / "v.tar", "w") as tar:
        _member(tar, f"clip.{ext}", video)
        _member(tar, f"told.{ext}", video)
        _member(tar, "told.json", json.dumps({"url": "https://v.example/1"}).encode())
    reader = open_corpus(tmp_path / "v.tar")
    only, told = reader.items(reader.shards()[0])
    assert (only.item_id, only.kind, only.data, only.problem) == ("v.tar#clip", WorkKind.VIDEO,
                                                                  video, None)  # fmt: skip
    assert only.meta["members"] == {}
    assert (told.kind, told.data, told.source) == (WorkKind.VIDEO, video, "https://v.example/1")
    assert set(told.meta["members"]) == {"json"}
