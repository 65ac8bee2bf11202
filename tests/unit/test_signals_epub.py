"""TDMRep in EPUB 2 and EPUB 3 package metadata, built here (no public fixture exists)."""

from __future__ import annotations

import io
import zipfile

import pytest

from consentry.domain import Use
from consentry.signals.epub import MAX_MEMBERS, from_epub

CONTAINER = (
    '<?xml version="1.0"?><container version="1.0" '
    'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="{path}" media-type="application/oebps-package+xml"/>'
    "</rootfiles></container>"
)
EPUB2 = (
    '<package version="2.0" xmlns="http://www.idpf.org/2007/opf">'
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>'
    '<meta name="tdm:reservation" content="1"/>'
    '<meta name="tdm:policy" content="https://provider.com/policies/policy.json"/>'
    "</metadata></package>"
)
EPUB3 = (
    '<package version="3.0" xmlns="http://www.idpf.org/2007/opf" '
    'prefix="tdm: http://www.w3.org/ns/tdmrep#">'
    '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>T</dc:title>'
    '<meta property="tdm:reservation">{value}</meta></metadata></package>'
)


def _epub(opf: str, path: str = "OEBPS/content.opf", extra: int = 0) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/container.xml", CONTAINER.format(path=path))
        archive.writestr(path if not path.startswith("/") else "x.opf", opf)
        for n in range(extra):
            archive.writestr(f"f{n}", b"")
    return buffer.getvalue()


def test_epub2_and_epub3_reservations_and_policy() -> None:
    [two] = from_epub(_epub(EPUB2))
    assert two.reserved == {Use.DATA_MINING}
    assert two.licensing == "https://provider.com/policies/policy.json"
    [three] = from_epub(_epub(EPUB3.format(value="1")))
    assert three.reserved == {Use.DATA_MINING}
    [allowed] = from_epub(_epub(EPUB3.format(value="0")))
    assert not allowed.reserved and allowed.allowed == {Use.DATA_MINING}
    assert (
        from_epub(_epub(EPUB3.replace('<meta property="tdm:reservation">{value}</meta>', ""))) == []
    )


@pytest.mark.parametrize(
    "epub",
    [
        _epub(EPUB2, path="../../etc/passwd"),
        _epub("<package><metadata>not closed"),
        _epub(EPUB2, extra=MAX_MEMBERS + 1),
        _epub(EPUB2)[:300],
    ],
    ids=["traversal", "broken-xml", "too-many-members", "truncated"],
)
def test_hostile_or_broken_epubs_reserve_and_say_why(epub: bytes) -> None:
    [signal] = from_epub(epub)
    assert signal.status == "malformed" and signal.reserved == frozenset(Use)
    assert "unreadable EPUB package" in (signal.note or "")
