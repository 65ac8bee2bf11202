"""A removal's manifest passes: streamed, checked against the committed digest, and lean."""

from __future__ import annotations

import hashlib
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consentry.actions.remove_manifest import HashCollector, manifest_rows, read_old
from consentry.actions.remove_outputs import Selection, new_rows, summary_of, write_outputs
from consentry.errors import InvalidInput
from consentry.evidence.commitment import Commitment
from consentry.evidence.removal import Found
from consentry.scan.manifest import ManifestWriter

PARAMS = json.dumps(
    {"corpus": "c", "format": "jsonl", "developer_id": None, "use": "ai_training",
     "regime": "consent", "as_of": "2026-11-25"}
)  # fmt: skip
WORK = {"sha256": "ab" * 32, "content_sha256": "cd" * 32}


def _row(i: int, *, include: bool = True, source: str | None = None) -> dict[str, Any]:
    raw, content = hashlib.sha256(b"r%d" % i).hexdigest(), hashlib.sha256(b"c%d" % i).hexdigest()
    if i == 0:
        raw, content = WORK["sha256"], WORK["content_sha256"]
    return {
        "item_id": f"s.jsonl#{i}", "source": source, "kind": "text", "sha256": raw,
        "content_sha256": content, "norm": "text-v1",
        "decision": "include" if include else "exclude",
        "reasons": ["licensed:lic_1"] if include else ["withheld:p_1"],
        "work_id": None if include else "w_other", "match": None, "score": None,
        "licence_id": "lic_1" if include else None, "matches": [], "signals": [],
        "regime": "consent",
    }  # fmt: skip


def _write(folder: Path, rows: Iterator[dict[str, Any]] | list[dict[str, Any]]) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    with ManifestWriter(folder) as writer:
        for row in rows:
            writer.write(row)
        writer.commit()
    return hashlib.sha256((folder / "manifest.jsonl").read_bytes()).hexdigest()


def test_rows_are_split_on_newlines_only(tmp_path: Path) -> None:
    """Text may hold U+2028 (the writer keeps non-ASCII raw); a row is still one line."""
    rows = [_row(1, source="a\u2028b\x85c"), _row(2)]
    digest = _write(tmp_path, rows)
    assert list(manifest_rows(tmp_path, digest)) == rows


def test_a_wrong_or_missing_manifest_is_refused(tmp_path: Path) -> None:
    digest = _write(tmp_path, [_row(1)])
    with pytest.raises(InvalidInput, match="not the manifest"):
        read_old(tmp_path, "0" * 64, "w_1", frozenset())
    with pytest.raises(InvalidInput, match="changed while the removal read it"):
        list(manifest_rows(tmp_path, "0" * 64))
    with pytest.raises(InvalidInput, match="cannot read"):
        read_old(tmp_path / "nowhere", digest, "w_1", frozenset())


def test_the_old_pass_finds_included_items_and_rows_naming_the_work(tmp_path: Path) -> None:
    named = _row(3) | {"matches": [{"work_id": "w_1", "match": "excerpt", "score": 0.5}]}
    rows = [_row(0), _row(1), _row(2, include=False), named]
    old = read_old(tmp_path, _write(tmp_path, rows), "w_1", frozenset(WORK.values()))
    assert sorted(old.included) == ["s.jsonl#0", "s.jsonl#1", "s.jsonl#3"]
    assert old.included["s.jsonl#1"] == bytes.fromhex(rows[1]["sha256"])
    assert {k: f.match for k, f in old.named.items()} == {
        "s.jsonl#0": "exact",
        "s.jsonl#3": "excerpt",
    }
    every = [
        h for r in rows if r["decision"] == "include" for h in (r["sha256"], r["content_sha256"])
    ]
    assert old.commitment.root == Commitment.of(every).root


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.booleans()), max_size=40))
def test_collected_hashes_commit_like_the_whole_list(picks: list[tuple[int, bool]]) -> None:
    rows = [_row(i + 1, include=inc) for i, inc in picks]
    collector = HashCollector()
    for row in rows:
        collector.add(row)
    every = [
        h for r in rows if r["decision"] == "include" for h in (r["sha256"], r["content_sha256"])
    ]
    assert collector.commitment().to_file() == Commitment.of(every).to_file()


def test_the_new_version_is_written_row_by_row_as_before(tmp_path: Path) -> None:
    rows = [_row(i, include=i % 3 != 2) for i in range(10)]
    digest = _write(tmp_path / "old", rows)
    found = {"s.jsonl#0": Found("s.jsonl#0", "exact", 1.0, {"sha256": WORK["sha256"]})}
    out = tmp_path / "new"
    out.mkdir()
    stream = new_rows(manifest_rows(tmp_path / "old", digest), found, "rm_1", "w_1")
    written = write_outputs(None, out, stream, Selection(found), summary_of(PARAMS), "w_1")  # type: ignore[arg-type]
    new = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert [r["item_id"] for r in new] == [r["item_id"] for r in rows]
    assert new[0]["decision"] == "exclude" and new[0]["reasons"] == ["removed:rm_1"]
    assert new[1:] == rows[1:]
    assert written.removed == [new[0]] and written.names_work
    summary = json.loads((out / "summary.json").read_text())
    included = sum(r["decision"] == "include" for r in new)
    assert (summary["items"], summary["included"], summary["excluded"]) == (
        10,
        included,
        10 - included,
    )
    assert summary["reasons"] == {"licensed": included, "removed": 1, "withheld": 3}
    every = [
        h for r in new if r["decision"] == "include" for h in (r["sha256"], r["content_sha256"])
    ]
    assert written.commitment.root == Commitment.of(every).root
    assert (
        Commitment.from_file((out / "included-hashes.bin").read_bytes()).root
        == written.commitment.root
    )


def _passes_peak(folder: Path, n: int) -> int:
    """Traced peak of both passes over a manifest of ``n`` rows (half included)."""
    digest = _write(folder / "old", (_row(i, include=i % 2 == 0) for i in range(n)))
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    old = read_old(folder / "old", digest, "w_1", frozenset(WORK.values()))
    assert len(old.included) == (n + 1) // 2
    (folder / "new").mkdir()
    stream = new_rows(manifest_rows(folder / "old", digest), {}, "rm_1", "w_1")
    write_outputs(None, folder / "new", stream, Selection(), summary_of(PARAMS), "w_1")  # type: ignore[arg-type]
    return tracemalloc.get_traced_memory()[1] - base


def test_the_passes_hold_no_row_objects(tmp_path: Path) -> None:
    """5,000 more rows cost the passes a fraction of what holding those rows costs.

    (What stays is a bounded batch for the Parquet writer and, per included
    item, its id and 32-byte hash for the corpus pass.)
    """
    n = 5_000
    digest = _write(tmp_path / "held", (_row(i) for i in range(n)))
    tracemalloc.start()
    try:
        held = list(manifest_rows(tmp_path / "held", digest))
        holding = tracemalloc.get_traced_memory()[0]
        del held
        small = _passes_peak(tmp_path / "small", n)
        large = _passes_peak(tmp_path / "large", 2 * n)
    finally:
        tracemalloc.stop()
    assert large - small < holding / 4, (small, large, holding)
