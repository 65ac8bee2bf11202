"""``consentry fingerprint`` run as a user runs it, its JSON checked against the import schema."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from consentry.fingerprint.near import NearFingerprint, decode_text

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "src" / "consentry" / "samples"
SCHEMA = json.loads((ROOT / "src/consentry/schemas/works-import.schema.json").read_text())


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consentry", "fingerprint", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def printed(*paths: Path) -> list[dict[str, object]]:
    proc = run("--json", *map(str, paths))
    assert proc.returncode == 0, proc.stderr
    result: list[dict[str, object]] = json.loads(proc.stdout)
    return result


def fingerprints_validator() -> jsonschema.Draft202012Validator:
    part = {**SCHEMA["properties"]["fingerprints"], "$defs": SCHEMA["$defs"]}
    return jsonschema.Draft202012Validator(part)


SAMPLE_FILES = (
    sorted((SAMPLES / "texts").glob("*.txt"))[:2] + sorted((SAMPLES / "images").glob("*.jpg"))[:2]
)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_samples_print_schema_valid_fingerprints(path: Path) -> None:
    [first] = printed(path)
    [again] = printed(path)
    assert first == again
    fingerprints_validator().validate(first["fingerprints"])
    prints = first["fingerprints"]
    assert isinstance(prints, dict)
    assert set(prints) == {"sha256", "content_sha256", "norm", "near", "iscc"}


def test_reflowed_and_reencoded_text_keeps_its_text_fingerprints(tmp_path: Path) -> None:
    text = (SAMPLES / "texts" / "ruth.txt").read_text(encoding="utf-8")
    reflowed = tmp_path / "ruth-reflowed.txt"
    reflowed.write_bytes(re.sub(r"\s+", "\n", text).encode("utf-16"))
    original, copy = printed(SAMPLES / "texts" / "ruth.txt", reflowed)
    a, b = original["fingerprints"], copy["fingerprints"]
    assert isinstance(a, dict) and isinstance(b, dict)
    assert a["sha256"] != b["sha256"]
    assert a["content_sha256"] == b["content_sha256"]
    assert shingles(a) == shingles(b)


def shingles(prints: dict[str, object]) -> list[int]:
    """The sampled shingle hashes (offsets differ with layout; the hashes must not)."""
    near = prints["near"]
    assert isinstance(near, dict)
    scheme = "text-shingle-v1"
    fingerprint = decode_text(NearFingerprint.from_text(scheme, near[scheme]).data)
    assert len(fingerprint) > 100
    return [int(h) for h in fingerprint.hashes]


def test_unreadable_file_exits_nonzero_with_its_reason(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"%PDF-1.4\n")
    good = SAMPLES / "texts" / "ruth.txt"
    proc = run(str(good), str(empty))
    assert proc.returncode == 2
    assert "unreadable:" in proc.stderr and "empty.pdf" in proc.stderr
    assert str(good) in proc.stdout


def test_docs_example_runs_as_written() -> None:
    doc = (ROOT / "docs" / "fingerprints.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n\$ consentry (fingerprint [^\n]*)\n(.*?)```", doc, re.S)
    assert block is not None, "docs/fingerprints.md has no example"
    args = block.group(1).split()[1:]
    proc = subprocess.run(
        [sys.executable, "-m", "consentry", "fingerprint", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == block.group(2)


def test_mislabelled_files_are_read_as_what_they_hold(tmp_path: Path) -> None:
    image = tmp_path / "notes.txt"
    image.write_bytes((SAMPLES / "images" / "coffee.jpg").read_bytes())
    page = tmp_path / "page.pdf"
    page.write_text("<!DOCTYPE html><html><body><p>Hello there, reader.</p></body></html>")
    as_image, as_html = printed(image, page)
    assert as_image["kind"] == "image" and as_image["format"] is None
    assert as_html["kind"] == "text" and as_html["format"] == "html"
