"""docs/evidence.md names real entry types."""

from __future__ import annotations

import re
from pathlib import Path

from consentry.evidence.entry import EntryType

DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


def test_documented_entry_types_exist() -> None:
    rows = re.findall(r"^\| (`[a-z.]+`(?: / `[a-z.]+`)?) \|", DOC.read_text(), re.M)
    documented = {t for row in rows for t in re.findall(r"`([a-z.]+)`", row)}
    assert documented
    assert documented <= {t.value for t in EntryType}


def test_the_worked_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(DOC), "exec"), namespace)
    assert namespace["receipt"]
