"""TDMRep in an EPUB's package metadata (EPUB 2 ``name=`` and EPUB 3 ``property=`` forms).

The EPUB is a zip: ``META-INF/container.xml`` names the package (OPF) file,
whose ``<meta>`` elements may carry ``tdm:reservation`` and ``tdm:policy``.
Hostile archives are refused before anything is decompressed: too many
members, a container or package file larger than ``MAX_XML``, or names
that leave the archive; the XML is parsed with defusedxml.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from consentry.signals.base import Signal
from consentry.signals.crosswalk import ALL_USES
from consentry.signals.headers import tdmrep_signal

MAX_MEMBERS = 20_000
MAX_XML = 2 * 1024 * 1024
CONTAINER = "META-INF/container.xml"
_OCF = "{urn:oasis:names:tc:opendocument:xmlns:container}"


class _Refused(Exception):
    """The archive is not a readable EPUB."""


def is_epub(data: bytes) -> bool:
    """True for a zip whose first member is ``mimetype: application/epub+zip``."""
    return data[:4] == b"PK\x03\x04" and b"application/epub+zip" in data[:128]


def from_epub(data: bytes, where: str = "epub") -> list[Signal]:
    """The TDMRep reservation in the EPUB's package metadata, if any."""
    if not is_epub(data):
        return []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            package = _package(archive)
    except (_Refused, zipfile.BadZipFile, ET.ParseError, DefusedXmlException, KeyError) as exc:
        note = f"unreadable EPUB package ({exc}): read as reserved"
        return [Signal("tdmrep", ALL_USES, where, None, status="malformed", note=note)]
    return _tdm(package, f"{where}:opf")


def _read(archive: zipfile.ZipFile, name: str) -> ET.Element:
    info = archive.getinfo(name)
    if info.file_size > MAX_XML:
        raise _Refused(f"{name} is {info.file_size:,} bytes")
    root: ET.Element = SafeET.fromstring(archive.read(info))
    return root


def _package(archive: zipfile.ZipFile) -> ET.Element:
    if len(archive.infolist()) > MAX_MEMBERS:
        raise _Refused(f"more than {MAX_MEMBERS:,} members")
    container = _read(archive, CONTAINER)
    rootfile = container.find(f".//{_OCF}rootfile")
    path = rootfile.get("full-path", "") if rootfile is not None else ""
    if not path or path.startswith("/") or ".." in path.split("/"):
        raise _Refused(f"package path {path!r} is missing or leaves the archive")
    return _read(archive, path)


def _tdm(package: ET.Element, where: str) -> list[Signal]:
    values: dict[str, str] = {}
    for meta in package.iter():
        if not meta.tag.endswith("}meta") and meta.tag != "meta":
            continue
        key = meta.get("name") or meta.get("property") or ""
        value = meta.get("content") if meta.get("name") else (meta.text or "")
        if key in ("tdm:reservation", "tdm:policy") and value is not None:
            values.setdefault(key, value.strip())
    if "tdm:reservation" not in values:
        return []
    return [tdmrep_signal(values["tdm:reservation"], values.get("tdm:policy"), where)]
