"""The cross-walk: every external vocabulary's labels mapped onto consentry's uses.

The mapping is data (``crosswalk.json``, versioned), read once; the table in
``docs/signals.md`` is tested against it.
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

from consentry.domain import Use

VOCABULARIES = (
    "aipref",
    "content_signal",
    "tdmrep",
    "robots_meta",
    "c2pa",
    "iptc",
    "robots_agents",
    "ai_txt",
)


@functools.cache
def crosswalk() -> dict[str, Any]:
    """The parsed cross-walk file."""
    text = resources.files("consentry.signals").joinpath("crosswalk.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def crosswalk_version() -> int:
    """The cross-walk's version, written with every signal's standard."""
    return int(crosswalk()["version"])


def uses_for(vocabulary: str, label: str) -> frozenset[Use] | None:
    """The uses ``label`` stands for in ``vocabulary``; None when the label is unknown."""
    labels: dict[str, list[str]] = crosswalk()[vocabulary]["labels"]
    if label not in labels:
        return None
    return frozenset(Use(u) for u in labels[label])


def older_aipref_label(label: str) -> frozenset[Use] | None:
    """The uses of an earlier AI-preferences draft's label, or None."""
    older: dict[str, Any] = crosswalk()["aipref"]["older_labels"]
    if label == "about" or label not in older:
        return None
    return frozenset(Use(u) for u in older[label])


ALL_USES = frozenset(Use)
