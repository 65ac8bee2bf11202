"""Rules for unregistered material that a user states (``scan --rules FILE``).

Each rule is a small callable taking the item's source and record metadata
and returning the reason code that includes it, or None. Three kinds, each
appearing by name in every manifest row it decides:

* ``source_licences``: everything from a source is licensed ("every page under
  https://example.org/open/ is CC0"): by URL prefix, folder (item id prefix)
  or dataset name; reason ``source_licensed:<name>``;
* ``open_licences``: an open licence declared in the record's metadata, from
  an allow-list of SPDX ids; NC licences only for a non-commercial developer,
  ND licences never (training makes a derivative); reason
  ``open_licence:<SPDX id>``;
* ``own``: the developer's own material, by URL prefix or folder; reason
  ``own:<name>``.

The file's JSON Schema is ``docs/schemas/scan-rules.schema.json``. A rules
file that states no rule at all is refused rather than read as "no rules".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, Protocol

from consentry.errors import InvalidInput

LICENCE_FIELDS = ("license", "licence", "license_spdx", "spdx")


class UnregisteredRule(Protocol):
    """Returns the including reason code for an unregistered item, or None."""

    def __call__(self, source: str | None, meta: Mapping[str, object]) -> str | None: ...


@dataclass(frozen=True, slots=True)
class SourceRule:
    """Items whose source starts with ``prefix`` (a URL or a folder), or from ``dataset``."""

    name: str
    reason: str
    prefix: str | None = None
    dataset: str | None = None

    def __call__(self, source: str | None, meta: Mapping[str, object]) -> str | None:
        """``<reason>:<name>`` when the item comes from this rule's source."""
        by_prefix = (
            self.prefix is not None and source is not None and source.startswith(self.prefix)
        )
        by_dataset = self.dataset is not None and meta.get("dataset") == self.dataset
        return f"{self.reason}:{self.name}" if by_prefix or by_dataset else None


@dataclass(frozen=True, slots=True)
class OpenLicenceRule:
    """Items whose metadata declares an allowed open licence (SPDX id, case-insensitive)."""

    allow: frozenset[str]
    non_commercial_developer: bool = False

    def __call__(self, source: str | None, meta: Mapping[str, object]) -> str | None:
        """``open_licence:<SPDX id>`` when the declared licence is allowed for this developer."""
        declared = next((meta[f] for f in LICENCE_FIELDS if isinstance(meta.get(f), str)), None)
        if not isinstance(declared, str):
            return None
        spdx = declared.strip()
        upper = spdx.upper()
        if upper not in {a.upper() for a in self.allow} or "-ND" in upper:
            return None
        if "-NC" in upper and not self.non_commercial_developer:
            return None
        return f"open_licence:{spdx}"


def rules_schema() -> dict[str, Any]:
    """The rules file's JSON Schema (``docs/schemas/scan-rules.schema.json``)."""
    text = resources.files("consentry").joinpath("schemas", "scan-rules.schema.json")
    loaded: dict[str, Any] = json.loads(text.read_text("utf-8"))
    return loaded


def load_rules(raw: object) -> tuple[UnregisteredRule, ...]:
    """The rules stated in a parsed rules file; InvalidInput naming every problem."""
    from jsonschema import Draft202012Validator  # slow to import; only rule files need it

    validator = Draft202012Validator(rules_schema())
    problems = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if problems:
        where = "; ".join(
            f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in problems
        )
        raise InvalidInput(
            f"the rules file is not valid: {where}",
            hint="see docs/schemas/scan-rules.schema.json; a file must state at least one rule",
        )
    assert isinstance(raw, Mapping)
    rules: list[UnregisteredRule] = []
    for entry in raw.get("source_licences", ()):
        rules.append(
            SourceRule(entry["name"], "source_licensed", entry.get("prefix"), entry.get("dataset"))
        )
    for entry in raw.get("own", ()):
        rules.append(SourceRule(entry["name"], "own", entry.get("prefix"), entry.get("dataset")))
    open_licences = raw.get("open_licences")
    if open_licences:
        allow = frozenset(open_licences["allow"])
        rules.append(OpenLicenceRule(allow, bool(open_licences.get("non_commercial", False))))
    if not rules:
        raise InvalidInput(
            "the rules file states no rule",
            hint="add source_licences, open_licences or own, or leave --rules out",
        )
    return tuple(rules)
