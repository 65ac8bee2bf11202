"""The scan pipeline without a database: every item once, resumable, executor-independent."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentry.corpus import folder, open_corpus
from consentry.corpus.item import CorpusReader, Item
from consentry.domain import Use
from consentry.matching.works_index import WorksIndex
from consentry.policy import Policy, Regime
from consentry.scan import Executor, LocalExecutor, ScanParams, run_scan
from consentry.scan.decide import no_registry
from consentry.scan.executors_ray import RayExecutor
from consentry.signals import Signal

PARAMS = ScanParams("corpus", "jsonl", None, "ai_training", "consent", "2026-11-24T00:00:00+00:00")


def _scan(reader: CorpusReader, out: Path, index: Path, workers: int = 1) -> None:
    run_scan(
        reader,
        out,
        params=PARAMS,
        policy=Policy(Use.AI_TRAINING),
        open_snapshot=no_registry,
        index_dir=index,
        executor=LocalExecutor(workers),
    )


@pytest.fixture
def index(tmp_path: Path) -> Path:
    return WorksIndex().save(tmp_path / "index")


LINES = st.lists(
    st.one_of(
        st.builds(lambda t: json.dumps({"text": t}), st.text(max_size=40)),
        st.sampled_from(["{broken", "[1, 2]", '{"title": "no text"}', ""]),
    ),
    max_size=30,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=LINES)
def test_every_jsonl_line_appears_exactly_once_in_both_manifests(
    lines: list[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    root = tmp_path_factory.mktemp("scan")
    corpus = root / "c.jsonl"
    corpus.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    _scan(open_corpus(corpus), root / "out", WorksIndex().save(root / "index"))
    rows = [json.loads(x) for x in (root / "out" / "manifest.jsonl").read_text().splitlines()]
    assert [r["item_id"] for r in rows] == [f"c.jsonl#{n}" for n in range(len(lines))]
    table = pq.read_table(root / "out" / "manifest.parquet")
    assert table.column("item_id").to_pylist() == [r["item_id"] for r in rows]
    assert all(r["decision"] == "exclude" for r in rows)
    summary = json.loads((root / "out" / "summary.json").read_text())
    assert summary["items"] == len(lines) == summary["excluded"]


def _folder(tmp_path: Path, count: int) -> Path:
    root = tmp_path / "files"
    for n in range(count):
        (root / f"d{n % 3}").mkdir(parents=True, exist_ok=True)
        (root / f"d{n % 3}" / f"f{n:03d}.txt").write_text(f"item number {n} " * 20)
    (root / "empty.txt").write_bytes(b"")
    return root


def test_a_killed_scan_resumes_to_the_same_outputs(
    tmp_path: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder, "FILES_PER_SHARD", 4)
    corpus = _folder(tmp_path, 17)
    _scan(open_corpus(corpus), tmp_path / "whole", index)

    reader = open_corpus(corpus)
    real_items = reader.items
    calls = 0

    def dies_on_third_shard(shard):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt("killed")
        return real_items(shard)

    monkeypatch.setattr(reader, "items", dies_on_third_shard)
    with pytest.raises(KeyboardInterrupt):
        _scan(reader, tmp_path / "resumed", index)
    done = sorted(p.name for p in (tmp_path / "resumed" / ".work" / "facts").iterdir())
    assert done == ["000000.jsonl", "000001.jsonl"]
    assert not (tmp_path / "resumed" / "manifest.jsonl").exists()

    _scan(open_corpus(corpus), tmp_path / "resumed", index)
    for name in ("manifest.jsonl", "manifest.parquet", "summary.json"):
        assert (tmp_path / "resumed" / name).read_bytes() == (
            tmp_path / "whole" / name
        ).read_bytes()
    assert not (tmp_path / "resumed" / ".work").exists()


def test_two_worker_processes_write_the_same_bytes_as_one(
    tmp_path: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder, "FILES_PER_SHARD", 3)
    corpus = _folder(tmp_path, 11)
    _scan(open_corpus(corpus), tmp_path / "one", index, workers=1)
    _scan(open_corpus(corpus), tmp_path / "two", index, workers=2)
    for name in ("manifest.jsonl", "manifest.parquet"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    rows = (tmp_path / "one" / "manifest.jsonl").read_text().splitlines()
    assert len(rows) == 12
    assert '"reasons": ["unreadable:empty"]' in rows[-1]


NO_RAY = importlib.util.find_spec("ray") is None and os.environ.get("CI") != "true"


@pytest.mark.skipif(NO_RAY, reason="Ray is not installed (pip install 'consentry[ray]')")
def test_ray_and_local_executors_write_identical_manifests(
    tmp_path: Path, index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folder, "FILES_PER_SHARD", 3)
    corpus = _folder(tmp_path, 10)
    done: list[str] = []
    executors: tuple[tuple[str, Executor], ...] = (
        ("local", LocalExecutor(1)),
        ("ray", RayExecutor(workers=2)),
    )
    for name, executor in executors:
        run_scan(
            open_corpus(corpus),
            tmp_path / name,
            params=PARAMS,
            policy=Policy(Use.AI_TRAINING),
            open_snapshot=no_registry,
            index_dir=index,
            executor=executor,
            on_done=lambda shard, _count, name=name: done.append(f"{name}:{shard.name}"),
        )
    for output in ("manifest.jsonl", "manifest.parquet", "summary.json"):
        assert (tmp_path / "ray" / output).read_bytes() == (
            tmp_path / "local" / output
        ).read_bytes()
    ray_shards = sorted(d for d in done if d.startswith("ray:"))
    assert ray_shards == [f"ray:files-{n:06d}" for n in range(4)]


class MarkerSignals:
    """Reserves data mining for items whose text says NOAI; breaks on items saying BOOM."""

    name = "marker"

    def __init__(self) -> None:
        self.prepasses = 0

    def prepass(self, reader: CorpusReader) -> None:
        self.prepasses += 1

    def read(self, item: Item) -> list[Signal]:
        if b"BOOM" in item.data:
            raise ValueError("malformed header")
        if b"NOAI" in item.data:
            return [Signal("test-marker", frozenset({Use.DATA_MINING}), "body", value="NOAI")]
        return [Signal("test-marker", frozenset(), "body", value="none")]


def test_signals_reach_the_manifest_and_the_policy(tmp_path: Path, index: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    texts = ["plain words " * 30, "NOAI please " * 30, "BOOM " * 30]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    signals = MarkerSignals()
    run_scan(
        open_corpus(corpus),
        tmp_path / "out",
        params=PARAMS,
        policy=Policy(Use.AI_TRAINING, Regime.RESERVATION),
        open_snapshot=no_registry,
        index_dir=index,
        signals=signals,
    )
    rows = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert [r["reasons"] for r in rows] == [
        ["unreserved"],
        ["reserved:test-marker"],
        ["error:signals: ValueError: malformed header"],
    ]
    assert rows[1]["signals"] == [
        {
            "standard": "test-marker",
            "reserved": ["data_mining"],
            "where": "body",
            "value": "NOAI",
            "status": "ok",
        }
    ]
    assert signals.prepasses == 1
