"""Parquet corpora: rows are items, the schema is checked first, the cleared copy keeps it."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consentry.corpus import open_corpus
from consentry.corpus.parquet import ParquetReader
from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.matching.works_index import WorksIndex
from consentry.policy import Policy, SourceRule
from consentry.scan import ScanParams, run_scan
from consentry.scan.decide import no_registry

TEXT = "Notes on tides and the moon, written for this test. " * 10


SCHEMA = pa.schema(
    [("id", pa.string()), ("text", pa.string()), ("url", pa.string()), ("score", pa.float64())]
)


def _table(rows: int) -> pa.Table:
    return pa.table(
        {
            "id": [f"doc{n}" for n in range(rows)],
            "text": [TEXT if n % 3 else None for n in range(rows)],
            "url": [f"https://{'ours' if n % 2 else 'web'}.example/{n}" for n in range(rows)],
            "score": [float(n) for n in range(rows)],
        },
        schema=SCHEMA,
    )


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.integers(0, 2500))
def test_every_row_once_in_order(rows: int, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("pq") / "part.parquet"
    pq.write_table(_table(rows), path, row_group_size=700)
    reader = ParquetReader(path)
    items = [i for s in reader.shards() for i in reader.items(s)]
    assert [i.position for i in items] == list(range(rows))
    assert [i.item_id for i in items] == [f"part.parquet#{n}" for n in range(rows)]
    assert all((i.problem is None) == (n % 3 != 0) for n, i in enumerate(items))


def test_schema_problems_are_refused_before_the_scan(tmp_path: Path) -> None:
    path = tmp_path / "x.parquet"
    pq.write_table(pa.table({"body": ["a"], "n": [1]}), path)
    with pytest.raises(InvalidInput, match="no column 'text'"):
        ParquetReader(path)
    with pytest.raises(InvalidInput, match="not text or bytes"):
        ParquetReader(path, text_field="n")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InvalidInput, match="not a readable Parquet"):
        ParquetReader(tmp_path / "bad.parquet")


def test_cleared_copy_keeps_the_schema_and_the_kept_rows(tmp_path: Path) -> None:
    corpus = tmp_path / "data"
    corpus.mkdir()
    pq.write_table(_table(9), corpus / "part-0.parquet")
    params = ScanParams(
        str(corpus), "parquet", None, "ai_training", "consent", "2026-11-24T00:00:00Z"
    )
    run_scan(
        open_corpus(corpus, id_field="id"),
        tmp_path / "out",
        params=params,
        policy=Policy(Use.AI_TRAINING, rules=(SourceRule("ours", "own", prefix="https://ours."),)),
        open_snapshot=no_registry,
        index_dir=WorksIndex().save(tmp_path / "index"),
    )
    rows = [json.loads(x) for x in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()]
    assert [r["item_id"] for r in rows] == [f"part-0.parquet#doc{n}" for n in range(9)]
    cleared = pq.read_table(tmp_path / "out" / "cleared" / "part-0.parquet")
    assert cleared.schema == _table(0).schema
    assert cleared.column("id").to_pylist() == ["doc1", "doc5", "doc7"]
