"""Index folders are written whole under a temporary name, then swapped into place."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path


def staging_folder(target: Path) -> Path:
    """A fresh empty folder beside ``target`` to write its next version into."""
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))


def swap_in(staged: Path, target: Path) -> Path:
    """Replace ``target`` with the finished ``staged`` folder; readers never see half of it."""
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return target
