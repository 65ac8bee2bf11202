"""Text extraction: each format generated here, plus hostile and broken inputs."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfWriter

from consentry.errors import UnreadableContent
from consentry.fingerprint.extract import DocFormat, extract_text, sniff_format
from consentry.fingerprint.extract_zip import MAX_MEMBERS

PROSE = "The quick brown fox jumps over the lazy dog near the riverbank at dawn."


def make_pdf(text: str) -> bytes:
    """A one-page PDF showing ``text`` in Helvetica, with a correct xref table."""
    stream = f"BT /F1 12 Tf 72 712 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def make_zip(members: dict[str, bytes], first: tuple[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first:
            archive.writestr(first[0], first[1], compress_type=zipfile.ZIP_STORED)
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def make_epub(chapters: list[str]) -> bytes:
    items = "".join(
        f'<item id="c{i}" href="text/c{i}.xhtml" media-type="application/xhtml+xml"/>'
        for i in range(len(chapters))
    )
    spine = "".join(f'<itemref idref="c{i}"/>' for i in range(len(chapters)))
    members = {
        "META-INF/container.xml": b'<?xml version="1.0"?><container '
        b'xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
        b'<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
        b"</rootfiles></container>",
        "OEBPS/content.opf": (
            '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
            f"{items}</manifest><spine>{spine}</spine></package>"
        ).encode(),
    }
    for i, body in enumerate(chapters):
        members[f"OEBPS/text/c{i}.xhtml"] = (
            f"<html><head><style>p{{}}</style></head><body><p>{body}</p></body></html>"
        ).encode()
    return make_zip(members, first=("mimetype", b"application/epub+zip"))


def make_docx(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    document = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
    return make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": document.encode()})


def reason(data: bytes) -> str:
    with pytest.raises(UnreadableContent) as caught:
        extract_text(data)
    return caught.value.message.split(":")[1]


def test_utf8_and_utf16_text_read_alike() -> None:
    assert extract_text(PROSE.encode())[1] == PROSE
    assert extract_text(PROSE.encode("utf-16"))[1] == PROSE
    assert extract_text(b"\xef\xbb\xbf" + PROSE.encode())[1] == PROSE


def test_legacy_charset_is_detected() -> None:
    text = "Le cœur a ses raisons que la raison ne connaît point. " * 20
    fmt, got = extract_text(text.encode("cp1252"))
    assert fmt is DocFormat.TEXT
    assert "connaît" in got


def test_binary_noise_in_no_charset_is_refused() -> None:
    assert reason("café".encode("latin-1") + b"\xff" * 5000) == "not_utf8"


def test_html_drops_scripts_styles_and_navigation() -> None:
    page = (
        "<!DOCTYPE html><html><head><title>t</title><style>.a{}</style></head><body>"
        "<nav>Home | About</nav><script>var x = 1;</script>"
        f"<main><h1>Title</h1><p>{PROSE}</p></main><footer>Copyright</footer></body></html>"
    )
    fmt, text = extract_text(page.encode())
    assert fmt is DocFormat.HTML
    assert PROSE in text and "Title" in text
    assert "var x" not in text and "Home" not in text and "Copyright" not in text


def test_epub_reads_spine_in_order() -> None:
    fmt, text = extract_text(make_epub(["First chapter.", "Second chapter."]))
    assert fmt is DocFormat.EPUB
    assert text.index("First") < text.index("Second")


def test_docx_paragraphs() -> None:
    fmt, text = extract_text(make_docx(["One para.", "Two para."]))
    assert fmt is DocFormat.DOCX
    assert text.splitlines() == ["One para.", "Two para."]


def test_pdf_text() -> None:
    fmt, text = extract_text(make_pdf("Hello consent world"))
    assert fmt is DocFormat.PDF
    assert "Hello consent world" in text


def test_mislabelled_content_is_read_as_what_it_is(tmp_path: object) -> None:
    assert sniff_format(make_pdf("x")) is DocFormat.PDF
    assert sniff_format(make_docx(["x"])) is DocFormat.DOCX
    assert sniff_format(b"\x89PNG\r\n\x1a\n\x00\x00") is None


def test_encrypted_pdf_refused() -> None:
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert reason(buffer.getvalue()) == "encrypted_pdf"


@pytest.mark.parametrize(
    "data, why",
    [
        (b"", "empty"),
        (b"   \n\t", "empty"),
        (b"\x00\x01\x02\x03" * 100, "unknown_format"),
        (b"%PDF-1.4\n1 0 obj\n<<", "bad_pdf"),
        (b"PK\x03\x04word/" + b"\x00" * 50, "bad_zip"),
    ],
)
def test_broken_inputs_have_reasons(data: bytes, why: str) -> None:
    assert reason(data) == why


@pytest.mark.parametrize("data", [make_epub(["x" * 200]), make_docx(["x" * 200]), make_pdf("x")])
def test_truncated_documents_are_unreadable(data: bytes) -> None:
    for cut in (len(data) // 3, len(data) // 2, len(data) - 10):
        with pytest.raises(UnreadableContent, match=r"^unreadable:"):
            extract_text(data[:cut])


def test_zip_bomb_member_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = bytes(1 << 24)
            for _ in range(64):  # 1 GiB of zeros, about 1 MB compressed
                member.write(zeros)
    assert reason(buffer.getvalue()) == "zip_bomb"


def test_path_traversal_refused() -> None:
    data = make_zip({"[Content_Types].xml": b"<Types/>", "../../etc/word/x": b"x"})
    assert reason(data) == "path_traversal"


def test_too_many_members_refused() -> None:
    members = {f"word/m{i}": b"" for i in range(MAX_MEMBERS + 1)}
    assert reason(make_zip(members)) == "zip_bomb"


def test_xml_entity_bomb_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>'
    )
    data = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": bomb})
    assert reason(data) == "bad_xml"


@given(st.binary(max_size=2000))
def test_any_bytes_extract_or_refuse(data: bytes) -> None:
    try:
        _, text = extract_text(data)
    except UnreadableContent as exc:
        assert exc.message.startswith("unreadable:")
    else:
        assert text.strip()


@given(st.binary(max_size=300))
def test_any_zip_prefixed_bytes_refuse_cleanly(data: bytes) -> None:
    with pytest.raises(UnreadableContent, match=r"^unreadable:"):
        extract_text(b"PK\x03\x04" + b"word/" + data)
