"""A work's printed fingerprints: ISCC codes, kind detection, format independence."""

from __future__ import annotations

import io
import zipfile

import iscc_core as ic
import pytest
from PIL import Image

from consentry.domain import WorkKind
from consentry.errors import UnreadableContent
from consentry.fingerprint.iscc import audio_code, image_code, iscc_codes, text_code
from consentry.fingerprint.near import decode_text
from consentry.fingerprint.work import detect_kind, work_prints

PROSE = " ".join(
    f"Line {i} of a poem about rivers, stones and the slow turning sky." for i in range(60)
)


def test_iscc_codes_have_the_iso_24138_headers() -> None:
    codes = iscc_codes(b"some bytes", text_code(PROSE))
    assert codes["content"].startswith("ISCC:EA")  # Content-Code, text
    assert codes["data"].startswith("ISCC:GA")
    assert codes["instance"].startswith("ISCC:IA")
    assert codes["iscc"].startswith("ISCC:KA")
    assert set(iscc_codes(b"x")) == {"data", "instance"}


def test_text_code_survives_reflow_but_not_other_text() -> None:
    same = text_code(PROSE.replace(" ", "\n  ").upper())
    assert same == text_code(PROSE)
    assert text_code("An unrelated sentence about tax forms and invoices. " * 30) != same


def test_image_and_audio_codes() -> None:
    image = Image.linear_gradient("L").convert("RGB")
    assert image_code(image).startswith("ISCC:EE")
    assert audio_code([1, -2, 3] * 40).startswith("ISCC:EI")
    with pytest.raises(UnreadableContent, match=r"^unreadable:empty"):
        audio_code([])


def test_instance_code_reproduces_iscc_core() -> None:
    data = PROSE.encode()
    assert iscc_codes(data)["instance"] == ic.gen_instance_code_v0(io.BytesIO(data))["iscc"]


def test_html_and_plain_text_share_content_hash_and_shingles() -> None:
    plain = work_prints(PROSE.encode())
    html = work_prints(f"<!DOCTYPE html><html><body><p>{PROSE}</p></body></html>".encode())
    assert html.fingerprints.sha256 != plain.fingerprints.sha256
    assert html.fingerprints.content_sha256 == plain.fingerprints.content_sha256
    html_hashes = decode_text(html.fingerprints.near["text-shingle-v1"]).hashes
    assert list(html_hashes) == list(decode_text(plain.fingerprints.near["text-shingle-v1"]).hashes)
    assert html.iscc["content"] == plain.iscc["content"]


def test_utf16_text_reads_as_its_utf8_twin() -> None:
    utf16 = work_prints(PROSE.encode("utf-16"))
    assert utf16.kind is WorkKind.TEXT
    assert (
        utf16.fingerprints.content_sha256 == work_prints(PROSE.encode()).fingerprints.content_sha256
    )


def test_import_form_round_trips_the_near_fingerprint() -> None:
    prints = work_prints(PROSE.encode())
    row = prints.as_import()
    near = row["near"]
    assert isinstance(near, dict)
    decoded = decode_text(prints.fingerprints.near["text-shingle-v1"])
    assert len(decoded) > 0 and near["text-shingle-v1"]


def test_documents_are_detected_as_text() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<d/>")
    assert detect_kind(buffer.getvalue()) is WorkKind.TEXT
    assert detect_kind(b"%PDF-1.7\n") is WorkKind.TEXT
    assert detect_kind(b"\x00\x01\x02\xff" * 10) is None


@pytest.mark.parametrize(
    "data, why",
    [(b"", "empty"), (b"\x00\xff\x10" * 50, "unknown_kind"), (b"PK\x03\x04word/", "bad_zip")],
)
def test_unreadable_works_say_why(data: bytes, why: str) -> None:
    with pytest.raises(UnreadableContent) as caught:
        work_prints(data)
    assert caught.value.message.startswith(f"unreadable:{why}")
