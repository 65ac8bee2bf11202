"""The developer's own answers: what consentry cannot know, from a small TOML file.

Some questions of the EU training-content summary (who to contact, how the
crawler behaves, whether synthetic data was used) and of Croissant's
responsible-AI fields cannot be derived from the registry or the manifests.
The developer writes them in a TOML file (see ``docs/reports.md``); every
question left out is shown as "not provided", never guessed. A key that is
not in :data:`KEYS`, or a value of the wrong type, is refused with every
problem named, so a typo cannot silently drop an answer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from consentry.errors import InvalidInput

NOT_PROVIDED = "not provided"

_TEXT = str
_FLAG = bool
KEYS: Mapping[str, Mapping[str, type]] = {
    "provider": {
        "name": _TEXT,
        "contact": _TEXT,
        "authorised_representative": _TEXT,
        "sme": _FLAG,
    },
    "model": {
        "dependencies": _TEXT,
        "placed_on_market": _TEXT,
        "continuous_training": _FLAG,
        "download_location": _TEXT,
        "type_of_model": _TEXT,
        "licence": _TEXT,
    },
    "content": {"types": _TEXT, "languages": _TEXT, "other": _TEXT},
    "public_datasets": {"used": _FLAG, "large": _TEXT, "description": _TEXT},
    "licensed_datasets": {"description": _TEXT},
    "private_datasets": {"used": _FLAG, "known": _TEXT, "description": _TEXT},
    "crawled": {
        "used": _FLAG,
        "crawlers": _TEXT,
        "purposes": _TEXT,
        "behaviour": _TEXT,
        "period": _TEXT,
        "description": _TEXT,
    },
    "user_data": {"used": _FLAG, "description": _TEXT},
    "synthetic": {"used": _FLAG, "models": _TEXT, "description": _TEXT},
    "other_sources": {"used": _FLAG, "description": _TEXT},
    "processing": {
        "code_of_practice": _FLAG,
        "reservations": _TEXT,
        "illegal_content": _TEXT,
        "other": _TEXT,
    },
    "croissant": {
        "licence": _TEXT,
        "cite_as": _TEXT,
        "data_collection_type": _TEXT,
        "personal_sensitive_information": _TEXT,
        "data_biases": _TEXT,
        "data_limitations": _TEXT,
        "data_use_cases": _TEXT,
        "data_social_impact": _TEXT,
        "data_release_maintenance_plan": _TEXT,
    },
}


@dataclass(frozen=True)
class Answers:
    """The developer's answers, by section and key; absent ones are "not provided"."""

    values: Mapping[str, Mapping[str, str | bool]]

    def text(self, section: str, key: str) -> str | None:
        """The answer to a text question, or None when the developer gave none."""
        value = self._get(section, key, str)
        return value.strip() if isinstance(value, str) and value.strip() else None

    def flag(self, section: str, key: str) -> bool | None:
        """The answer to a yes/no question, or None when the developer gave none."""
        value = self._get(section, key, bool)
        return value if isinstance(value, bool) else None

    def _get(self, section: str, key: str, kind: type) -> object:
        if KEYS.get(section, {}).get(key) is not kind:
            raise KeyError(f"{section}.{key} is not a {kind.__name__} answer")
        return self.values.get(section, {}).get(key)


def parse_answers(text: str, origin: str = "the answers file") -> Answers:
    """Read the TOML answers file; InvalidInput naming every unknown key or bad value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"{origin} is not valid TOML: {exc}") from exc
    return answers_from(data, origin)


def answers_from(data: Mapping[str, Any], origin: str = "the answers") -> Answers:
    """Check a parsed answers mapping against :data:`KEYS`."""
    problems: list[str] = []
    values: dict[str, dict[str, str | bool]] = {}
    for section, entries in data.items():
        allowed = KEYS.get(section)
        if allowed is None or not isinstance(entries, Mapping):
            problems.append(f"[{section}] is not a section (known: {', '.join(KEYS)})")
            continue
        for key, value in entries.items():
            kind = allowed.get(key)
            if kind is None:
                problems.append(f"{section}.{key} is not a known question")
            elif isinstance(value, kind) and isinstance(value, str | bool):
                values.setdefault(section, {})[key] = value
            else:
                want = "true or false" if kind is bool else "a string"
                problems.append(f"{section}.{key} must be {want}")
    if problems:
        raise InvalidInput(
            f"{origin} has {len(problems)} problem(s): " + "; ".join(problems),
            hint="see docs/reports.md for every question and its type",
        )
    return Answers(values)


def yes_no(value: bool | None) -> str:
    """A yes/no answer as the summary shows it."""
    return NOT_PROVIDED if value is None else ("yes" if value else "no")
