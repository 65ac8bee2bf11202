"""Which installed Debian package (and version) a dev-set source file came from.

The audio and video dev sets draw on many game-music packages; their tables
in bench/AUDIO.md and bench/VIDEO.md cite the package and version of every
file used, read here from dpkg's own records (``/var/lib/dpkg/info/*.list``
and ``dpkg-query``) rather than guessed from the path.
"""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

DPKG_INFO = Path("/var/lib/dpkg/info")


class Packages:
    """A path -> package map of the files under ``prefixes``, built once from dpkg's lists."""

    def __init__(self, prefixes: tuple[str, ...] = ("/usr/share/games",)) -> None:
        self._owner: dict[str, str] = {}
        for listing in sorted(DPKG_INFO.glob("*.list")):
            package = listing.stem.split(":")[0]
            for line in listing.read_text(errors="replace").splitlines():
                if line.startswith(prefixes):
                    self._owner.setdefault(line, package)
        self._versions: dict[str, str] = {}

    def package(self, path: Path) -> str:
        """The package that installed ``path`` (``"?"`` when dpkg does not list it)."""
        return self._owner.get(str(path), "?")

    def version(self, package: str) -> str:
        """The installed version of ``package``, as dpkg-query reports it."""
        if package not in self._versions:
            cmd = ["dpkg-query", "-W", "-f", "${Version}", package]
            out = subprocess.run(cmd, capture_output=True, text=True)
            self._versions[package] = out.stdout.strip() or "?"
        return self._versions[package]

    def table(self, used: Iterable[tuple[Path, str]]) -> list[dict[str, object]]:
        """Per package: version and how many files it gave in each role."""
        counts: dict[str, Counter[str]] = {}
        for path, role in used:
            counts.setdefault(self.package(path), Counter())[role] += 1
        return [
            {"package": p, "version": self.version(p), **dict(sorted(c.items()))}
            for p, c in sorted(counts.items())
        ]
