"""Zip-based documents (EPUB, DOCX) read defensively: bounded members, size and names.

A zip's central directory states each member's uncompressed size, but a hostile
archive can lie, so every read is also capped while it streams: the total
inflated bytes never exceed :data:`MAX_UNZIPPED`, whatever the headers say.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from consentry.errors import UnreadableContent

MAX_MEMBERS = 10_000
MAX_UNZIPPED = 256 * 1024 * 1024
_CHUNK = 1 << 16


def unreadable(why: str, detail: str, hint: str | None = None) -> UnreadableContent:
    """An :class:`UnreadableContent` whose message starts with ``unreadable:<why>``."""
    return UnreadableContent(f"unreadable:{why}: {detail}", hint=hint)


class SafeZip:
    """A zip archive whose reads are capped in count, names and inflated size."""

    def __init__(self, data: bytes) -> None:
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
            raise unreadable("bad_zip", str(exc)) from exc
        if len(infos) > MAX_MEMBERS:
            raise unreadable("zip_bomb", f"{len(infos)} members (limit {MAX_MEMBERS})")
        if sum(i.file_size for i in infos) > MAX_UNZIPPED:
            raise unreadable("zip_bomb", f"declared size over {MAX_UNZIPPED} bytes")
        for info in infos:
            name = info.filename
            if name.startswith("/") or "\\" in name or ".." in name.split("/"):
                raise unreadable("path_traversal", f"member name {name!r}")
        self.names = frozenset(i.filename for i in infos)
        self._budget = MAX_UNZIPPED

    def read(self, name: str) -> bytes:
        """The member's bytes, counting against the archive's inflation budget."""
        if name not in self.names:
            raise unreadable("missing_member", name)
        out = bytearray()
        try:
            with self._zip.open(name) as member:
                while chunk := member.read(_CHUNK):
                    out += chunk
                    if len(out) > self._budget:
                        raise unreadable("zip_bomb", f"{name} inflates past the limit")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise unreadable("bad_zip", f"{name}: {exc}") from exc
        self._budget -= len(out)
        return bytes(out)

    def xml(self, name: str) -> ElementTree.Element:
        """The member parsed as XML, entity and DTD tricks refused (defusedxml)."""
        try:
            return SafeET.fromstring(self.read(name))
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise unreadable("bad_xml", f"{name}: {exc}") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def docx_text(data: bytes) -> str:
    """The text of a DOCX's main document, one paragraph per line."""
    archive = SafeZip(data)
    root = archive.xml("word/document.xml")
    paragraphs: list[str] = []
    for para in root.iter():
        if _local(para.tag) != "p":
            continue
        parts = []
        for node in para.iter():
            tag = _local(node.tag)
            if tag == "t" and node.text:
                parts.append(node.text)
            elif tag == "tab":
                parts.append("\t")
            elif tag in ("br", "cr"):
                parts.append("\n")
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def epub_spine(archive: SafeZip) -> list[str]:
    """Member names of an EPUB's content documents, in reading (spine) order."""
    container = archive.xml("META-INF/container.xml")
    opf_path = next(
        (n.get("full-path", "") for n in container.iter() if _local(n.tag) == "rootfile"), ""
    )
    opf = archive.xml(opf_path)
    base = posixpath.dirname(opf_path)
    manifest = {n.get("id", ""): n.get("href", "") for n in opf.iter() if _local(n.tag) == "item"}
    refs = [n.get("idref", "") for n in opf.iter() if _local(n.tag) == "itemref"]
    names = []
    for ref in refs:
        href = manifest.get(ref, "").split("#", 1)[0]
        name = posixpath.normpath(posixpath.join(base, href)) if href else ""
        if name in archive.names:
            names.append(name)
    if not names:
        raise unreadable("empty", "EPUB spine names no content documents")
    return names
