"""Spawning's ai.txt: robots.txt syntax at ``/ai.txt``, saying which files AI may train on.

Read with protego like robots.txt (its wildcards cover the file-type patterns
ai.txt uses, such as ``Disallow: *.jpg``), for the ``*`` agent. A Disallow
that applies to the item's path reserves what the cross-walk maps
``ai_txt``/``Disallow`` to.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from protego import Protego

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES, uses_for


@dataclass
class AiTxtFile:
    """A host's ai.txt."""

    host: str
    sha256: str
    parser: Protego | None = field(default=None, repr=False)
    problem: str | None = None

    @classmethod
    def parse(cls, host: str, data: bytes) -> AiTxtFile:
        """Parse an ai.txt body; an unparseable one is kept with ``problem``."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            return cls(host, digest, Protego.parse(data.decode("utf-8", "replace")))
        except Exception as exc:  # protego is lenient; anything it raises means unreadable
            return cls(host, digest, None, f"{type(exc).__name__}: {exc}")

    def signals_for(self, path: str) -> list[Signal]:
        """The reservation this file makes for ``path``, if any."""
        where = f"ai.txt:{self.host}"
        if self.parser is None:
            note = f"unreadable ({self.problem}): read as reserved"
            return [Signal("ai.txt", ALL_USES, where, None, status="malformed", note=note)]
        if self.parser.can_fetch(path, "*"):
            return []
        uses = uses_for("ai_txt", "Disallow") or ALL_USES
        return [Signal("ai.txt", uses, where, "Disallow", sha256=self.sha256)]
