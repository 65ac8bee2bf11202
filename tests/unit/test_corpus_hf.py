"""Hugging Face ``save_to_disk`` folders: rows are items, read with pyarrow, cleared in place.

The folders are written here as ``datasets`` writes them (Arrow IPC streams
with ``huggingface`` schema metadata, ``state.json`` listing ``_data_files``,
``dataset_info.json``, and ``dataset_dict.json`` for a DatasetDict), so the
tests need no ``datasets`` package.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentry.corpus import detect_format, open_corpus
from consentry.corpus.hf import HfDatasetReader
from consentry.domain import WorkKind
from consentry.errors import InvalidInput

FEATURES = {
    "text": {"dtype": "string", "_type": "Value"},
    "n": {"dtype": "int64", "_type": "Value"},
}
SCHEMA = pa.schema(
    [("text", pa.string()), ("n", pa.int64())],
    metadata={"huggingface": json.dumps({"info": {"features": FEATURES}})},
)


def _dataset(folder: Path, files: list[int], batch: int = 7, start: int = 0) -> None:
    folder.mkdir(parents=True)
    names = [f"data-{i:05d}-of-{len(files):05d}.arrow" for i in range(len(files))]
    n = start
    for name, rows in zip(names, files, strict=True):
        with pa.OSFile(str(folder / name), "wb") as sink, pa.ipc.new_stream(sink, SCHEMA) as w:
            for first in range(0, rows, batch):
                count = min(batch, rows - first)
                texts = [f"row {n + i} of {folder.name}" for i in range(count)]
                w.write_batch(pa.record_batch([texts, list(range(n, n + count))], schema=SCHEMA))
                n += count
    state: dict[str, object] = {
        "_data_files": [{"filename": name} for name in names],
        "_fingerprint": "0123456789abcdef",
        "_format_columns": None,
        "_format_kwargs": {},
        "_format_type": None,
        "_output_all_columns": False,
        "_split": folder.name,
    }
    (folder / "state.json").write_text(json.dumps(state))
    (folder / "dataset_info.json").write_text(json.dumps({"features": FEATURES}))


def _dict(root: Path, splits: dict[str, list[int]]) -> Path:
    root.mkdir()
    (root / "dataset_dict.json").write_text(json.dumps({"splits": list(splits)}))
    for split, files in splits.items():
        _dataset(root / split, files)
    return root


def test_a_dataset_dict_is_detected_and_read_with_split_file_row_ids(tmp_path: Path) -> None:
    root = _dict(tmp_path / "ds", {"train": [10, 3], "test": [2]})
    assert detect_format(root) == "hf"
    reader = open_corpus(root)
    names = [s.name for s in reader.shards()]
    assert names == sorted(names)
    assert "train/data-00001-of-00002.arrow" in names
    items = list(reader.items(reader.shards()[0]))
    assert [i.item_id for i in items] == [
        "test/data-00000-of-00001.arrow#0",
        "test/data-00000-of-00001.arrow#1",
    ]
    assert items[1].data == b"row 1 of test" and items[1].kind == WorkKind.TEXT


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(st.integers(0, 40), min_size=1, max_size=3), data=st.data())
def test_every_row_once_in_order_and_the_cleared_copy_keeps_exactly_the_kept(
    tmp_path_factory: pytest.TempPathFactory, files: list[int], data: st.DataObject
) -> None:
    root = tmp_path_factory.mktemp("hf") / "ds"
    _dataset(root, files, batch=data.draw(st.integers(1, 9)))
    reader = HfDatasetReader(root)
    out = tmp_path_factory.mktemp("out")
    for shard, rows in zip(reader.shards(), files, strict=True):
        items = list(reader.items(shard))
        assert [i.position for i in items] == list(range(rows))
        assert len({i.item_id for i in items}) == rows
        keep = data.draw(st.sets(st.integers(0, max(rows - 1, 0)))) & set(range(rows))
        assert reader.write_cleared(shard, keep, str(out)) == len(keep)
    cleared = HfDatasetReader(out)
    assert (out / "state.json").read_bytes() == (root / "state.json").read_bytes()
    for shard in cleared.shards():
        with pa.OSFile(str(out / shard.name)) as handle:
            assert pa.ipc.open_stream(handle).schema.equals(SCHEMA, check_metadata=True)


def test_the_cleared_rows_are_the_kept_rows(tmp_path: Path) -> None:
    root = _dict(tmp_path / "ds", {"train": [20]})
    reader = HfDatasetReader(root)
    (shard,) = reader.shards()
    reader.write_cleared(shard, {0, 5, 19}, str(tmp_path / "out"))
    again = HfDatasetReader(tmp_path / "out")
    got = [i.data for i in again.items(again.shards()[0])]
    assert got == [b"row 0 of train", b"row 5 of train", b"row 19 of train"]
    assert (tmp_path / "out" / "dataset_dict.json").exists()


def test_a_missing_or_wrong_content_column_is_refused_before_the_scan(tmp_path: Path) -> None:
    _dataset(tmp_path / "ds", [3])
    with pytest.raises(InvalidInput, match="no column 'body'"):
        HfDatasetReader(tmp_path / "ds", text_field="body")
    with pytest.raises(InvalidInput, match="not text or bytes"):
        HfDatasetReader(tmp_path / "ds", text_field="n")
    with pytest.raises(InvalidInput, match="no id column"):
        HfDatasetReader(tmp_path / "ds", id_field="uid")


def test_a_truncated_arrow_file_ends_with_a_named_problem(tmp_path: Path) -> None:
    _dataset(tmp_path / "ds", [50], batch=10)
    path = tmp_path / "ds" / "data-00000-of-00001.arrow"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    reader = HfDatasetReader(tmp_path / "ds")
    items = list(reader.items(reader.shards()[0]))
    assert items[-1].problem is not None and items[-1].problem.startswith(
        "unreadable:corrupt_arrow"
    )
    assert [i.position for i in items] == list(range(len(items)))


def test_garbage_or_a_hostile_state_file_is_a_clear_error(tmp_path: Path) -> None:
    _dataset(tmp_path / "a", [3])
    (tmp_path / "a" / "data-00000-of-00001.arrow").write_bytes(b"not arrow" * 50)
    with pytest.raises(InvalidInput, match="not a readable Arrow stream"):
        HfDatasetReader(tmp_path / "a")
    _dataset(tmp_path / "b", [3])
    (tmp_path / "b" / "state.json").write_text(
        json.dumps({"_data_files": [{"filename": "../x.arrow"}]})
    )
    with pytest.raises(InvalidInput, match="leaves the folder"):
        HfDatasetReader(tmp_path / "b")
