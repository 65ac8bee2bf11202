"""robots.txt (RFC 9309, read by protego) for AI crawlers: which uses a host reserves for a path.

The robots.txt comes from the corpus (a WARC record, or a captured file per
host), never from the network. For an item's path, every AI crawler in the
cross-walk's ``robots_agents`` table that the file disallows reserves that
crawler's uses; a Disallow that applies to every crawler (``User-agent: *``)
reserves every use: the item should not have been collected at all. A file
that cannot be parsed is kept as malformed and reserves every use.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from protego import Protego

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES, crosswalk, uses_for
from consentry.signals.headers import content_usage
from consentry.signals.robots_usage import rule_for, star_group_rules

# An agent name no operator uses, to ask what the '*' group says.
_NOBODY = "consentry-probe-no-such-agent"


@dataclass
class RobotsFile:
    """A host's robots.txt, parsed once and asked per path."""

    host: str
    text: str
    sha256: str = ""
    parser: Protego | None = field(default=None, repr=False)
    problem: str | None = None

    @classmethod
    def parse(cls, host: str, data: bytes) -> RobotsFile:
        """Parse a robots.txt body (any encoding: undecodable bytes are replaced)."""
        text = data.decode("utf-8", "replace")
        digest = hashlib.sha256(data).hexdigest()
        try:
            return cls(host, text, digest, Protego.parse(text))
        except Exception as exc:  # protego is lenient; anything it raises means unreadable
            return cls(host, text, digest, None, f"{type(exc).__name__}: {exc}")

    def signals_for(self, path: str, seen: str | None = None) -> list[Signal]:
        """The reservations this file makes for ``path``."""
        where = f"robots.txt:{self.host}"
        if self.parser is None:
            return [
                Signal(
                    "robots.txt",
                    ALL_USES,
                    where,
                    None,
                    status="malformed",
                    note=self.problem,
                    seen=seen,
                    sha256=self.sha256,
                )
            ]
        if not self.parser.can_fetch(path, _NOBODY):
            return [
                Signal(
                    "robots.txt",
                    ALL_USES,
                    where,
                    "User-agent: * Disallow",
                    seen=seen,
                    sha256=self.sha256,
                )
            ]
        found = self._content_usage(path, where)
        for agent in crosswalk()["robots_agents"]["labels"]:
            if agent == "*" or self.parser.can_fetch(path, agent):
                continue
            uses = uses_for("robots_agents", agent) or ALL_USES
            found.append(
                Signal(
                    "robots.txt",
                    uses,
                    where,
                    f"User-agent: {agent} Disallow",
                    seen=seen,
                    sha256=self.sha256,
                )
            )
        return found

    def _content_usage(self, path: str, where: str) -> list[Signal]:
        rule = rule_for(star_group_rules(self.text), path)
        if rule is None:
            return []
        at = f"{where} line {rule.line}"
        return [replace(s, sha256=self.sha256) for s in content_usage(rule.value, at)]
