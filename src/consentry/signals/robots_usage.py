"""IETF AI preferences in robots.txt: ``Content-Usage`` rules (draft-ietf-aipref-attach-05).

Within a group, ``Content-Usage: [path] preferences`` attaches preferences to
the paths under ``path`` (no path: every path); the rule with the longest
matching path applies. We read the group for ``*``, the one every crawler
without a group of its own follows. Paths the group disallows carry no
preference (the draft: "no preferences are implied for resources that are
disallowed"): the Disallow itself is the reservation there.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UsageRule:
    """One ``Content-Usage`` line of a robots.txt group."""

    path: str
    value: str
    line: int


def star_group_rules(text: str) -> list[UsageRule]:
    """The ``Content-Usage`` rules of the group(s) for ``User-agent: *``."""
    rules: list[UsageRule] = []
    agents: list[str] = []
    in_agents = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key == "user-agent":
            agents = [*agents, value] if in_agents else [value]
            in_agents = True
            continue
        in_agents = False
        if key == "content-usage" and "*" in agents and value:
            rules.append(_rule(value, number))
    return rules


def _rule(value: str, number: int) -> UsageRule:
    if value.startswith("/"):
        path, _, prefs = value.partition(" ")
        return UsageRule(path, prefs.strip(), number)
    return UsageRule("/", value, number)


def rule_for(rules: list[UsageRule], path: str) -> UsageRule | None:
    """The rule with the longest path that prefixes ``path``; None when none does."""
    matching = [r for r in rules if path.startswith(r.path)]
    return max(matching, key=lambda r: len(r.path), default=None)
