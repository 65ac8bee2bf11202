"""The scan's documented contracts: every reason code in docs, the manifest schema's columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

from consentry.policy import ItemReason
from consentry.scan.manifest import COLUMNS

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_reason_code_is_documented_once_in_order() -> None:
    text = (DOCS / "reason-codes.md").read_text(encoding="utf-8")
    codes = re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M)
    assert codes == [r.value for r in ItemReason]


def test_the_manifest_schema_names_exactly_the_written_columns() -> None:
    schema = json.loads((DOCS / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
    assert tuple(schema["required"]) == COLUMNS
    assert tuple(schema["properties"]) == COLUMNS
    pattern = schema["properties"]["reasons"]["items"]["pattern"]
    assert all(re.match(pattern, code) for code in ItemReason)


def test_the_documented_rules_example_is_accepted() -> None:
    from consentry.policy import load_rules

    text = (DOCS / "scan.md").read_text(encoding="utf-8")
    example = re.search(r"```json\n(.*?)```", text, flags=re.S)
    assert example is not None
    assert len(load_rules(json.loads(example.group(1)))) == 3
