"""A certificate's compiled schema check never lets through what ``jsonschema`` refuses.

``consentry verify`` checks a certificate's shape with a check compiled by
``fastjsonschema`` and asks ``jsonschema`` (slow to import) only when that
check refuses; so wherever the compiled check says yes, ``jsonschema`` must
find no error. Property test: one value anywhere in a real certificate is
replaced, removed or joined by another, and the two validators are compared.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from test_removal_certificate import KEY, build

from consentry.evidence.certificate_verify import _fits_schema, schema, verify_certificate
from consentry.schema_check import as_draft_07

CERT: dict[str, Any] = json.loads(build()[0])
SCALARS = (
    st.none() | st.booleans() | st.integers(-3, 2**40) | st.floats(allow_nan=False)
    | st.sampled_from(["", "a" * 64, "0" * 64 + "\n", "text", "2026-01-02T00:00:00Z"])
)  # fmt: skip
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)


def _places(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value in ``node`` (object keys and list indexes)."""
    found = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _places(value, (*path, index))
    return found


PLACES = _places(CERT)[1:]


def _changed(path: tuple[Any, ...], how: str, value: Any) -> Any:
    doc = copy.deepcopy(CERT)
    parent = doc
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if how == "replace":
        parent[last] = value
    elif how == "remove":
        del parent[last]
    elif isinstance(parent, dict):
        parent[f"x_{last}"] = value
    else:
        parent.append(value)
    return doc


def test_a_real_certificate_passes_the_compiled_check_without_jsonschema() -> None:
    assert _fits_schema()(CERT)
    assert verify_certificate(build()[0], KEY).ok


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PLACES), st.sampled_from(["replace", "remove", "add"]), JSON)
def test_what_the_compiled_check_lets_through_jsonschema_lets_through(
    path: tuple[Any, ...], how: str, value: Any
) -> None:
    doc = _changed(path, how, value)
    errors = list(Draft202012Validator(schema()).iter_errors(doc))
    if _fits_schema()(doc):
        assert errors == []
    if errors:  # and so a malformed certificate is still worded by jsonschema
        report = verify_certificate(json.dumps(doc), KEY)
        assert any("does not follow its schema" in f for f in report.failures)


@pytest.mark.parametrize("keyword", ["prefixItems", "unevaluatedProperties", "if"])
def test_a_keyword_the_certificate_check_does_not_know_is_refused(keyword: str) -> None:
    with pytest.raises(ValueError, match="draft 07"):
        as_draft_07({**schema(), keyword: {}}, {"type", "properties"})
