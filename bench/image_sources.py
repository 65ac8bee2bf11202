"""The image dev set's negative-only sources: openly licensed Debian packages, installed offline.

Each :class:`Source` is one package's pictures under one folder, used as
unrelated negatives only (never as works, so the works and their positives do
not depend on which of these are installed). The licences are those of the
package's ``/usr/share/doc/<package>/copyright`` (also in ``bench/IMAGE.md``).
Install them all with::

    apt-get install -y --no-install-recommends $(.venv/bin/python bench/image_sources.py)
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Source(NamedTuple):
    """A negative-only source: manifest ``kind``, folder, Debian package, licence, what it shows."""

    label: str
    root: Path
    package: str
    licence: str
    shows: str


GAMES = Path("/usr/share/games")
# In this order (it decides which of two near-duplicates is kept): the first
# two are the original negative-only sources, whose pictures stay the same.
EXTRA_NEGATIVES = (
    Source(
        "tuxpaint",
        Path("/usr/share/tuxpaint/stamps"),
        "tuxpaint-stamps-default",
        "GPL-2",
        "photos and drawings of objects, on white",
    ),
    Source(
        "wesnoth",
        GAMES / "wesnoth",
        "wesnoth-1.16-data",
        "GPL-2+",
        "painted portraits and scenes in one style",
    ),
    Source(
        "endless-sky",
        GAMES / "endless-sky/images",
        "endless-sky-data",
        "CC-BY-SA-3.0/4.0, CC-BY-4.0, public domain, GPL-3+ (per file)",
        "landscape photos, rendered ships and planets",
    ),
    Source(
        "stellarium",
        Path("/usr/share/stellarium"),
        "stellarium-data",
        "GPL-2+; nebula photos free with credit (copyright section 4)",
        "telescope photos of nebulae and galaxies, constellation drawings, panoramas",
    ),
    Source(
        "naev",
        Path("/usr/share/naev/dat/gfx"),
        "naev-data",
        "CC-BY-3.0, CC-BY-SA-3.0, GPL-2+/3, public domain (per file)",
        "painted planets, space scenes, portraits, commodities",
    ),
    Source(
        "openclipart",
        Path("/usr/share/openclipart/png"),
        "openclipart-png",
        "public domain (Creative Commons dedication)",
        "clip-art drawings, icons, flags, signs",
    ),
    Source(
        "supertuxkart",
        GAMES / "supertuxkart/data",
        "supertuxkart-data",
        "CC-BY-SA-3.0/4.0, CC-BY-3.0, CC0, public domain, GPL-2 (per file)",
        "photo textures, skyboxes, track art",
    ),
    Source(
        "kgeography",
        Path("/usr/share/kgeography"),
        "kgeography-data",
        "GPL-2+, CC0-1.0 (per file)",
        "political maps in flat colours and flags: many look-alikes",
    ),
    Source(
        "hedgewars",
        GAMES / "hedgewars/Data",
        "hedgewars-data",
        "GPL-2, GFDL-1.3, CC-BY-SA-3.0, others (per file)",
        "painted themes, landscapes and forts, cartoon sprites",
    ),
    Source(
        "megaglest",
        GAMES / "megaglest",
        "megaglest-data",
        "CC-BY-SA-3.0, GPL-2+",
        "painted loading screens, unit portraits, textures",
    ),
    Source(
        "widelands",
        GAMES / "widelands/data",
        "widelands-data",
        "GPL-2+, CC-BY-SA-3.0",
        "rendered buildings and workers (animation frames: many look-alikes)",
    ),
    Source(
        "redeclipse",
        GAMES / "redeclipse/data",
        "redeclipse-data",
        "CC-BY-SA-3.0, CC-BY-3.0, CC0-1.0, zlib (per file)",
        "photo textures, skyboxes, map shots",
    ),
)


def main() -> None:
    """Print the packages to install (for ``apt-get install``)."""
    print(" ".join(s.package for s in EXTRA_NEGATIVES))


if __name__ == "__main__":
    main()
