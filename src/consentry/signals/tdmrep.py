"""W3C TDMRep's ``/.well-known/tdmrep.json``: a host's rules, first match wins.

Each rule has a ``location`` pattern (robots.txt style: ``*`` any run of
characters, ``$`` the end), a ``tdm-reservation`` (0 or 1) and optionally a
``tdm-policy``. "The most specific match is the first in sequence"; no match
leaves the reservation unset; matching is case-sensitive. A file that is not
a list of such rules is malformed: every path of its host is then reserved
(fail closed), and the signal says why.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES
from consentry.signals.headers import tdmrep_signal


@dataclass(frozen=True)
class TdmRule:
    """One rule of a tdmrep.json file."""

    location: str
    reservation: str
    policy: str | None

    def matches(self, path: str) -> bool:
        """True when ``path`` matches this rule's location pattern."""
        pattern = re.escape(self.location).replace(r"\*", ".*")
        if pattern.endswith(r"\$"):
            pattern = pattern[:-2] + "$"
        return re.match(pattern, path) is not None


@dataclass(frozen=True)
class TdmRepFile:
    """A host's parsed tdmrep.json, or why it could not be read."""

    host: str
    rules: tuple[TdmRule, ...]
    problem: str | None = None

    @classmethod
    def parse(cls, host: str, text: str) -> TdmRepFile:
        """Parse the file's text; a malformed file is kept with ``problem``."""
        try:
            raw = json.loads(text)
            rules = tuple(
                TdmRule(
                    str(r["location"]),
                    str(r.get("tdm-reservation", "")),
                    r.get("tdm-policy"),
                )
                for r in raw
            )
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            return cls(host, (), f"not a list of rules: {exc}")
        return cls(host, rules)

    def signal_for(self, path: str) -> Signal | None:
        """The signal for ``path``: its first matching rule, or None when none matches."""
        where = f"tdmrep.json:{self.host}"
        if self.problem is not None:
            return Signal("tdmrep", ALL_USES, where, None, status="malformed", note=self.problem)
        for number, rule in enumerate(self.rules):
            if rule.matches(path):
                policy = rule.policy if rule.reservation == "1" else None
                return tdmrep_signal(rule.reservation, policy, f"{where} rule {number}")
        return None
