"""docs/signals.md's cross-walk table is exactly crosswalk.json."""

from __future__ import annotations

import re
from pathlib import Path

from consentry.signals.crosswalk import VOCABULARIES, crosswalk

DOC = Path(__file__).resolve().parents[2] / "docs" / "signals.md"


def test_the_documented_crosswalk_is_the_data() -> None:
    rows = re.findall(
        r"^\| `(\w+)`( \(older drafts\))? \| `([^`]+)` \| (.*) \|$", DOC.read_text(), re.M
    )
    documented = {
        (v, bool(older), label): re.findall(r"`(\w+)`", uses) for v, older, label, uses in rows
    }
    data = crosswalk()
    expected = {}
    for vocabulary in VOCABULARIES:
        for label, uses in data[vocabulary]["labels"].items():
            expected[(vocabulary, False, label)] = uses
    for label, uses in data["aipref"]["older_labels"].items():
        if label != "about":
            expected[("aipref", True, label)] = uses
    assert documented == expected
