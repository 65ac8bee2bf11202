"""The works-import JSON Schema: valid, strict, in step with the domain, the docs and the
fast check (fastjsonschema) that stands in for jsonschema on valid rows."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from consentry.domain import ConsentState, Role, Use, WorkKind
from consentry.identifiers import WORK_SCHEMES
from consentry.work_import import load_schema, parse_import
from consentry.work_import.schema import as_draft_07, row_check

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "works-import.md"
SCHEMA = load_schema()
SCHEMA_TEXT = json.dumps(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)
FAST = row_check()


def objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema in ``node``."""
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from objects(value)


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_object_refuses_unknown_fields() -> None:
    found = list(objects(SCHEMA))
    assert len(found) >= 7
    assert all(node.get("additionalProperties") is False for node in found)


def test_docs_schemas_is_the_packaged_schema() -> None:
    linked = ROOT / "docs" / "schemas" / "works-import.schema.json"
    assert json.loads(linked.read_text()) == SCHEMA


def test_the_schema_speaks_the_domain_vocabulary() -> None:
    props, defs = SCHEMA["properties"], SCHEMA["$defs"]
    assert props["kind"]["enum"] == [k.value for k in WorkKind]
    assert defs["creator"]["properties"]["role"]["enum"] == [r.value for r in Role]
    assert list(defs["consent"]["properties"]) == [u.value for u in Use]
    assert defs["consentState"]["enum"] == [s.value for s in ConsentState]
    assert tuple(props["identifiers"]["properties"]) == WORK_SCHEMES


# --- the fast check gives jsonschema's verdict -------------------------------------------------

VALID_ROWS: list[dict[str, Any]] = [
    {
        "title": "T",
        "kind": "text",
        "identifiers": {"isbn": "9780306406157"},
        "creators": [{"name": "A"}],
    },
    {
        "id": "w1",
        "title": "T",
        "kind": "image",
        "file": "a.png",
        "fingerprints": {"sha256": "a" * 64, "content_sha256": "B" * 64, "norm": "image-v1"},
        "identifiers": {"doi": ["10.1000/1", "10.1000/2"]},
        "creators": [
            {
                "name": "A",
                "id": "p_1",
                "isni": "x",
                "ipi": "y",
                "orcid": "z",
                "email": "a@b.org",
                "role": "artist",
                "share": "0.5",
                "consent": {"ai_training": "granted"},
            }
        ],
        "rightsholders": [
            {"name": "P", "share": Decimal("0.5"), "territory": "GB", "consent": {"search": "ask"}}
        ],
        "split": {"creators": 1, "rightsholders": 0},
        "consent": {"data_mining": "withheld"},
    },
]
KEYS = sorted({k for node in objects(SCHEMA) for k in node["properties"]} | {"extra", "0"})
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.decimals(min_value=-2, max_value=2, places=2, allow_nan=False, allow_infinity=False),
    st.floats(min_value=-2, max_value=2, allow_nan=False),
    st.text(max_size=4),
    st.sampled_from(
        [
            "text",
            "image",
            "granted",
            "ai_training",
            "0.5",
            "-1",
            ".5",
            "1.",
            "",
            "a" * 64,
            "world",
            "GB",
            "uk",
            "a b",
            "a@b.co",
            "text-v1",
            " ",
            "x" * 201,
            "x" * 2001,
            "0." + "1" * 39,
            "w1\n",
            "GB\n",
            "0.5\n",
            "a@b.co\n",
            "a" * 64 + "\n",
            Decimal("1.5"),
            Decimal("1.0000000000000000000001"),
            1.5,
            Decimal("-0.1"),
            1,
        ]
    ),
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path of every value inside ``value``, ``value`` itself included."""
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, (*prefix, index))


def changed_at(value: Any, path: tuple[Any, ...], change: Any) -> Any:
    """A copy of ``value`` with ``change`` applied to the container or value at ``path``."""
    if not path:
        return change(value)
    head, rest = path[0], path[1:]
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[head] = changed_at(value[head], rest, change)
    return copy


def mutate(value: Any, data: st.DataObject) -> Any:
    """``value`` with one random change somewhere inside it: replaced, dropped or added to."""
    path = data.draw(st.sampled_from(list(paths(value))))
    action = data.draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "drop" and path:
        return changed_at(
            value,
            path[:-1],
            lambda parent: (
                {k: v for k, v in parent.items() if k != path[-1]}
                if isinstance(parent, dict)
                else [v for i, v in enumerate(parent) if i != path[-1]]
            ),
        )
    if action == "add":
        key, new = data.draw(st.sampled_from(KEYS)), data.draw(VALUES)
        return changed_at(
            value,
            path,
            lambda target: (
                {**target, key: new}
                if isinstance(target, dict)
                else [*target, new]
                if isinstance(target, list)
                else new
            ),
        )
    new = data.draw(VALUES)
    return changed_at(value, path, lambda _old: new)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_the_fast_check_agrees_with_jsonschema_on_mutated_rows(data: st.DataObject) -> None:
    value: Any = data.draw(st.sampled_from(VALID_ROWS))
    for _ in range(data.draw(st.integers(0, 3))):
        value = mutate(value, data)
    assert FAST(value) == VALIDATOR.is_valid(value), value


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_the_fast_check_agrees_with_jsonschema_on_random_objects(value: dict[str, Any]) -> None:
    assert FAST(value) == VALIDATOR.is_valid(value)


BOUNDARY: list[Any] = [
    None,
    True,
    0,
    1,
    2,
    -1,
    0.5,
    1.5,
    Decimal("1.0"),
    Decimal("1.000001"),
    Decimal("-0"),
    Decimal("-0.1"),
    Decimal("1.0000000000000000000001"),
    Decimal("-1E-30"),
    Decimal("0E+5"),
    Decimal("1E+0"),
    "",
    " ",
    "\n",
    "x\n",
    "0.5\n",
    "GB\n",
    "a@b.co\n",
    "a" * 64 + "\n",
    "a" * 64 + "\n\n",
    "x",
    "0.5",
    "1.",
    ".5",
    "-0.5",
    "1e-1",
    "0." + "1" * 38,
    "0." + "1" * 39,
    "a" * 64,
    "A" * 64,
    "a" * 63,
    "g" * 64,
    "text",
    "image",
    "text-v1",
    "granted",
    "GB",
    "world",
    "uk",
    "a b",
    "a@b.co",
    "x" * 200,
    "x" * 201,
    "x" * 2000,
    "x" * 2001,
    [],
    ["x"],
    [""],
    {},
    {"name": "A"},
    {"extra": 1},
]


@pytest.mark.parametrize("row", VALID_ROWS)
def test_the_fast_check_agrees_with_jsonschema_at_every_place(row: dict[str, Any]) -> None:
    """Every value inside a valid row, replaced by every boundary value, or dropped."""
    for path in list(paths(row))[1:]:
        for new in BOUNDARY:
            value = changed_at(row, path, lambda _old, new=new: new)
            assert FAST(value) == VALIDATOR.is_valid(value), (path, new)
        dropped = changed_at(
            row,
            path[:-1],
            lambda parent, key=path[-1]: (
                {k: v for k, v in parent.items() if k != key}
                if isinstance(parent, dict)
                else [v for i, v in enumerate(parent) if i != key]
            ),
        )
        assert FAST(dropped) == VALIDATOR.is_valid(dropped), ("drop", path)


def test_the_fast_check_accepts_the_valid_rows() -> None:
    assert all(FAST(r) and VALIDATOR.is_valid(r) for r in VALID_ROWS)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        (Decimal("0.25"), True),
        (Decimal("1"), True),
        (Decimal("0E-18"), True),
        (Decimal("-0"), True),
        (Decimal("1.0000000000000000000001"), False),  # 1.0 as a float
        (Decimal("-1E-30"), False),
        (True, False),
    ],
)
def test_the_fast_check_reads_decimals_as_numbers_like_jsonschema(
    value: Decimal | bool, valid: bool
) -> None:
    row = {**VALID_ROWS[0], "split": {"creators": value, "rightsholders": 0}}
    assert FAST(row) is valid
    assert VALIDATOR.is_valid(row) is valid


def test_a_final_newline_is_refused_in_both_checks() -> None:
    """Python's ``$`` matches before a final newline; every ``$`` here is ``(?!\\n)$``.

    The lookahead means the same in ECMA-262, where ``$`` is already the very end.
    """
    for text in ("w1\n", "w1\n\n"):
        row = {**VALID_ROWS[0], "id": text}
        assert not FAST(row) and not VALIDATOR.is_valid(row)
    row = {**VALID_ROWS[0], "fingerprints": {"sha256": "a" * 64 + "\n"}}
    assert not FAST(row) and not VALIDATOR.is_valid(row)
    assert all(
        p.endswith("(?!\\\\n)$") or not p.endswith("$")
        for p in re.findall(r'"pattern": "([^"]*)"', SCHEMA_TEXT)
    )


def test_the_fast_check_sees_the_dependent_fields() -> None:
    fingerprints = {"sha256": "a" * 64, "norm": "text-v1"}
    row = {**VALID_ROWS[0], "fingerprints": fingerprints}
    assert not FAST(row) and not VALIDATOR.is_valid(row)


@pytest.mark.parametrize(
    "schema",
    [
        {"const": 1},
        {"format": "email"},
        {"prefixItems": [{"type": "string"}]},
        {"unevaluatedProperties": False},
        {"properties": {"a": {"dependentSchemas": {}}}},
        {"$ref": "#/$defs/x", "minLength": 1},
    ],
)
def test_keywords_not_known_to_mean_the_same_in_draft_07_are_refused(
    schema: dict[str, Any],
) -> None:
    with pytest.raises(ValueError, match="draft 07"):
        as_draft_07(schema)


# --- the documentation -------------------------------------------------------------------------


def fenced(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", DOC.read_text(), flags=re.M | re.S)


def test_the_json_examples_in_the_docs_are_valid_rows() -> None:
    blocks = fenced("json")
    assert len(blocks) >= 2
    for block in blocks:
        VALIDATOR.validate(json.loads(block, parse_float=Decimal))


@pytest.mark.parametrize("language", ["json", "jsonl", "csv"])
def test_the_docs_examples_import(tmp_path: Path, language: str) -> None:
    (tmp_path / "texts").mkdir()
    for name in ("ruth.txt", "jonah.txt"):
        (tmp_path / "texts" / name).write_text(f"The book of {name}\n")
    for number, block in enumerate(fenced(language)):
        if language == "json":
            block = json.dumps(json.loads(block)) + "\n"
        path = tmp_path / f"example{number}.{'jsonl' if language == 'json' else language}"
        path.write_text(block, encoding="utf-8")
        assert parse_import(path).rows
