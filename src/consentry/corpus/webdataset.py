"""WebDataset tar shards (stdlib ``tarfile``, streaming): each sample is an item.

Item id: ``<shard>#<key>``. A sample is the run of consecutive members that
share a key, the member's path up to the first dot of its basename (the
WebDataset convention: ``a/001.jpg`` and ``a/001.json`` are sample ``a/001``).
The content member is chosen by extension, first match wins: ``txt``/``text``
(text), then an image (``jpg``, ``jpeg``, ``png``, ``webp``, ``gif``, ``tif``,
``tiff``), then audio (``wav``, ``flac``, ``mp3``, ``ogg``, ``opus``, ``m4a``),
then video (``mp4``, ``m4v``, ``mov``, ``webm``, ``mkv``, ``avi``: scanned as a
bare video file is), then ``json`` (its ``text`` field when it has one).
Every other member is kept in ``meta["members"]`` (short UTF-8 values as
text, others by size), and a ``json`` member's ``url``/``license``/``licence``
go to ``meta``.

Hostile shards: a member with an absolute or ``..`` name, a link or a device,
or a sample over the size limit (its members together) makes that sample an
item with a problem; a truncated shard ends with one item naming the problem.
Nothing is silently dropped.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from consentry.corpus.files import corpus_files
from consentry.corpus.item import Item, Shard
from consentry.domain import WorkKind
from consentry.errors import InvalidInput

DEFAULT_MAX_MEMBER = 64 * 1024 * 1024
META_TEXT_LIMIT = 64 * 1024
CONTENT_RULE: tuple[tuple[frozenset[str], WorkKind | None], ...] = (
    (frozenset({"txt", "text"}), WorkKind.TEXT),
    (frozenset({"jpg", "jpeg", "png", "webp", "gif", "tif", "tiff"}), WorkKind.IMAGE),
    (frozenset({"wav", "flac", "mp3", "ogg", "opus", "m4a"}), WorkKind.AUDIO),
    (frozenset({"mp4", "m4v", "mov", "webm", "mkv", "avi"}), WorkKind.VIDEO),
    (frozenset({"json"}), None),
)


@dataclass
class Sample:
    """The members of one sample, in shard order, with the first problem met."""

    key: str
    members: list[tuple[tarfile.TarInfo, bytes]] = field(default_factory=list)
    problem: str | None = None


class WebDatasetReader:
    """One ``.tar`` shard or a folder of them; one shard per file."""

    format = "webdataset"

    def __init__(self, path: Path, *, max_item_bytes: int = DEFAULT_MAX_MEMBER) -> None:
        if not path.exists():
            raise InvalidInput(f"no corpus at {path}")
        self.root = path if path.is_dir() else path.parent
        self.files = corpus_files(path, (".tar",))
        if not self.files:
            raise InvalidInput(f"no .tar shards in {path}")
        self.max_item_bytes = max_item_bytes

    def shards(self) -> list[Shard]:
        """One shard per tar file, in sorted order."""
        return [Shard(name, (self.root / name).stat().st_size) for name in self.files]

    def items(self, shard: Shard) -> Iterator[Item]:
        """The shard's samples, in order; a repeated key gets a problem and a unique id."""
        seen: set[str] = set()
        for position, sample in enumerate(self._samples(shard)):
            item_id = f"{shard.name}#{sample.key}"
            if item_id in seen:
                item_id = f"{item_id}@{position}"
                sample.problem = sample.problem or "unreadable:duplicate_key: key seen earlier"
            seen.add(item_id)
            yield _item(item_id, position, sample)

    def write_cleared(self, shard: Shard, keep: set[int], out_dir: str) -> int:
        """Write every member of the kept samples, in their original order, to a new tar."""
        target = Path(out_dir) / shard.name
        target.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as out:
            for position, sample in enumerate(self._samples(shard)):
                if position not in keep or sample.problem is not None:
                    continue
                for info, data in sample.members:
                    out.addfile(info, io.BytesIO(data))
                written += 1
        return written

    def _samples(self, shard: Shard) -> Iterator[Sample]:
        """Group members into samples, streaming; a read error ends the shard."""
        current: Sample | None = None
        try:
            path = self.root / shard.name
            with path.open("rb") as handle, tarfile.open(fileobj=handle, mode="r|*") as tar:
                last_end = 0
                while (info := tar.next()) is not None:
                    cast(Any, tar).members.clear()  # stream mode would keep every header
                    last_end = info.offset_data + -(-info.size // tarfile.BLOCKSIZE) * 512
                    key = _key(info.name)
                    if current is not None and key != current.key:
                        yield current
                        current = None
                    current = current or Sample(key)
                    self._add(tar, info, current)
                if not _ended_cleanly(tar, handle, last_end):
                    raise tarfile.ReadError("the shard ends without its end-of-archive blocks")
        except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
            if current is not None:
                current.problem = current.problem or f"unreadable:corrupt_tar: {exc}"
                yield current
            yield Sample("unreadable-end", problem=f"unreadable:corrupt_tar: {exc}")
            return
        if current is not None:
            yield current

    def _add(self, tar: tarfile.TarFile, info: tarfile.TarInfo, sample: Sample) -> None:
        why = sample.problem or _unsafe(info)
        held = info.size + sum(len(data) for _, data in sample.members)
        if why is None and held > self.max_item_bytes:
            limit = self.max_item_bytes
            why = f"unreadable:too_large: sample {sample.key} is over {limit:,} bytes"
        if why is not None:
            sample.problem = why
            sample.members.clear()
            _drain(tar, info)
            return
        stream = tar.extractfile(info)
        data = stream.read() if stream is not None else b""
        sample.members.append((info, data))


def _drain(tar: tarfile.TarFile, info: tarfile.TarInfo) -> None:
    """Read past a skipped member's data ourselves: tarfile's own skip loops block by block
    over a declared size even past the end of the file (10**12 bytes: hours)."""
    if info.islnk() or info.issym():
        return
    stream = tar.extractfile(info)
    if stream is not None:
        while stream.read(1 << 20):
            pass


def _item(item_id: str, position: int, sample: Sample) -> Item:
    if sample.problem is not None:
        return Item(item_id, b"", position, problem=sample.problem)
    by_ext = {_ext(info.name): data for info, data in sample.members}
    content_ext, kind = _content(by_ext)
    meta: dict[str, Any] = {"members": {}}
    for ext, data in by_ext.items():
        if ext != content_ext:
            meta["members"][ext] = _meta_value(data)
    declared = _json_object(by_ext.get("json", b""))
    meta.update(
        {k: declared[k] for k in ("url", "license", "licence") if isinstance(declared.get(k), str)}
    )
    source = meta.get("url")
    if content_ext is None:
        return Item(
            item_id,
            b"",
            position,
            source=source,
            meta=meta,
            problem="unreadable:empty: no content member",
        )
    data = by_ext[content_ext]
    if content_ext == "json":
        text = declared.get("text")
        if isinstance(text, str):
            return Item(item_id, text.encode("utf-8"), position, WorkKind.TEXT, source, meta)
    return Item(item_id, data, position, kind, source, meta)


def _content(by_ext: dict[str, bytes]) -> tuple[str | None, WorkKind | None]:
    for extensions, kind in CONTENT_RULE:
        for ext in by_ext:
            if ext.rsplit(".", 1)[-1] in extensions:
                return ext, kind
    return None, None


def _unsafe(info: tarfile.TarInfo) -> str | None:
    if info.name.startswith("/") or ".." in info.name.split("/"):
        return f"unreadable:unsafe_member: path {info.name!r} leaves the shard"
    if not info.isfile():
        return f"unreadable:unsafe_member: {info.name!r} is not a regular file"
    return None


def _ended_cleanly(tar: tarfile.TarFile, handle: io.BufferedReader, last_end: int) -> bool:
    """For a plain tar, a zero block follows the last member (tarfile stops silently if not)."""
    stream: Any = tar.fileobj
    if getattr(stream, "comptype", "tar") != "tar":
        return True
    if tar.offset < last_end:
        return False
    handle.seek(tar.offset)
    return handle.read(tarfile.BLOCKSIZE) == bytes(tarfile.BLOCKSIZE)


def _key(name: str) -> str:
    head, _, base = name.rpartition("/")
    stem = base.split(".", 1)[0]
    return f"{head}/{stem}" if head and head != "." else stem


def _ext(name: str) -> str:
    parts = name.rpartition("/")[2].split(".", 1)
    return parts[1].lower() if len(parts) == 2 else ""


def _meta_value(data: bytes) -> str | int:
    if len(data) <= META_TEXT_LIMIT:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return len(data)


def _json_object(data: bytes) -> dict[str, Any]:
    if not data or len(data) > META_TEXT_LIMIT * 16:
        return {}
    try:
        value = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return {}
    return value if isinstance(value, dict) else {}
