"""Uploaded files: safe names, size limits, and a private folder per request.

A client's file name is used only to keep its extension (which tells the
corpus and import readers the format): it must be a bare name of ordinary
characters, never a path (``../``, ``/``, ``\\``, a leading dot, control
characters are refused with 400), and the bytes go to a fresh private folder.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from consentry.errors import InvalidInput

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,199}$")
CHUNK = 1024 * 1024


def safe_name(name: str | None) -> str:
    """The upload's file name when it is a bare, ordinary name; InvalidInput otherwise."""
    if not name or not _SAFE.match(name) or ".." in name:
        raise InvalidInput(
            f"the file name {name!r} is not allowed",
            hint="use a plain name such as works.jsonl: letters, digits, dot, dash, space",
        )
    return name


def save_upload(upload: UploadFile, folder: Path, limit: int) -> Path:
    """Copy the upload into ``folder`` under its safe name; 400 when over ``limit`` bytes."""
    target = folder / safe_name(upload.filename)
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(CHUNK):
            written += len(chunk)
            if written > limit:
                raise InvalidInput(f"the file is over the limit of {limit:,} bytes")
            out.write(chunk)
    if written == 0:
        raise InvalidInput("the uploaded file is empty")
    return target


@contextmanager
def upload_folder() -> Iterator[Path]:
    """A private temporary folder, removed afterwards whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="consentry-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
