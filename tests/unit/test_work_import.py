"""parse_import: every row checked, every problem named with its line, or nothing."""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from consentry.domain import ConsentState, Fingerprints, Role, Split, Use, WorkKind
from consentry.errors import ImportRejected, InvalidInput, NotFound, RowError
from consentry.fingerprint.exact import exact_fingerprints
from consentry.fingerprint.near import decode_text
from consentry.fingerprint.text import TEXT_SHINGLE_SCHEME
from consentry.work_import import ImportPlan, WorkRow, parse_import
from consentry.work_import.read import COLUMNS, JSON_COLUMNS

SHA = "a" * 64
CONTENT = "b" * 64


def row(**fields: Any) -> dict[str, Any]:
    """A valid row, with ``fields`` replacing or adding to it (None removes a field)."""
    base: dict[str, Any] = {
        "title": "A Work",
        "kind": "text",
        "fingerprints": {"sha256": SHA, "content_sha256": CONTENT, "norm": "text-v1"},
        "creators": [{"name": "Ann Lee"}],
    }
    base.update(fields)
    return {k: v for k, v in base.items() if v is not None}


def write_jsonl(folder: Path, *rows: dict[str, Any] | str, name: str = "works.jsonl") -> Path:
    path = folder / name
    lines = [r if isinstance(r, str) else json.dumps(r) for r in rows]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def write_csv(folder: Path, *rows: dict[str, Any], name: str = "works.csv") -> Path:
    path = folder / name
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                "" if c not in r else (json.dumps(r[c]) if c in JSON_COLUMNS else r[c])
                for c in COLUMNS
            ]
        )
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


def problems(path: Path, **kwargs: Any) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse_import(path, **kwargs)
    assert caught.value.path == str(path)
    return [str(e) for e in caught.value.errors]


def only_problem(tmp_path: Path, bad: dict[str, Any] | str) -> str:
    """The single problem of a file whose line 2 is ``bad`` (lines 1 and 3 are good)."""
    path = write_jsonl(tmp_path, row(id="w1"), bad, row(id="w3"))
    found = problems(path)
    assert len(found) == 1, found
    assert found[0].startswith("line 2: "), found
    return found[0].removeprefix("line 2: ")


# --- success ---------------------------------------------------------------------------


def test_a_valid_row_is_parsed_into_canonical_values(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path,
        row(
            id="w1",
            title="  Ruth  ",
            identifiers={"isbn": ["0-306-40615-2", "978-0-306-40615-7"], "doi": "10.1000/ABC"},
            creators=[
                {
                    "name": "Ann Lee",
                    "isni": "0000 0001 2103 2683",
                    "role": "translator",
                    "share": "0.25",
                    "consent": {"ai_training": "granted"},
                },
                {
                    "name": "Bob",
                    "orcid": "https://orcid.org/0000-0002-1825-0097",
                    "ipi": "123456789",
                },
            ],
            rightsholders=[{"name": "Pub", "territory": "GB", "email": "rights@pub.example"}],
            split={"creators": "0.6", "rightsholders": 0.4},
            consent={"search": "withheld"},
        ),
    )
    plan = parse_import(path)
    assert isinstance(plan, ImportPlan)
    assert plan.path == path
    (work,) = plan.rows
    assert work.line == 1
    assert work.id == "w1"
    assert work.title == "Ruth"
    assert work.kind is WorkKind.TEXT
    assert work.identifiers == {"isbn": ("9780306406157",), "doi": ("10.1000/abc",)}
    assert work.fingerprints == Fingerprints(SHA, CONTENT, "text-v1")
    ann, bob = work.creators
    assert (ann.name, ann.isni, ann.role, ann.share) == (
        "Ann Lee",
        "0000000121032683",
        Role.TRANSLATOR,
        Decimal("0.25"),
    )
    assert ann.consent == {Use.AI_TRAINING: ConsentState.GRANTED}
    assert ann.territory is None
    assert (bob.orcid, bob.ipi, bob.role, bob.share) == (
        "0000-0002-1825-0097",
        "00123456789",
        Role.AUTHOR,
        None,
    )
    (pub,) = work.rightsholders
    assert (pub.territory, pub.email, pub.role) == ("GB", "rights@pub.example", None)
    assert work.split == Split(Decimal("0.6"), Decimal("0.4"))
    assert work.consent == {Use.SEARCH: ConsentState.WITHHELD}
    assert plan.warnings == ()


def test_fingerprints_are_computed_from_the_file(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    data = b"In the beginning\r\n  was the WORD.\n"
    (tmp_path / "texts" / "a.txt").write_bytes(data)
    path = write_jsonl(tmp_path, row(file="texts/a.txt", fingerprints=None))
    (work,) = parse_import(path).rows
    exact = exact_fingerprints(data, WorkKind.TEXT)
    assert (work.fingerprints.sha256, work.fingerprints.content_sha256) == (
        exact.sha256,
        exact.content_sha256,
    )
    near = decode_text(work.fingerprints.near[TEXT_SHINGLE_SCHEME])
    assert near.folded_chars == len("inthebeginningwastheword")
    assert work.file == "texts/a.txt"


def test_fingerprints_given_with_the_file_must_agree_with_it(tmp_path: Path) -> None:
    data = b"some text"
    (tmp_path / "a.txt").write_bytes(data)
    good = exact_fingerprints(data, WorkKind.TEXT)
    path = write_jsonl(
        tmp_path,
        row(file="a.txt", fingerprints={"sha256": good.sha256}),
        row(file="a.txt", fingerprints={"sha256": SHA}),
    )
    found = problems(path)
    assert found == [
        f"line 2: fingerprints.sha256 '{SHA}' does not match file 'a.txt' "
        f"(its sha256 is '{good.sha256}')"
    ]


def test_image_and_audio_files_are_fingerprinted_by_kind(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), (10, 20, 30)).save(buffer, format="PNG")
    (tmp_path / "p.png").write_bytes(buffer.getvalue())
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40)
    (tmp_path / "s.wav").write_bytes(wav)
    path = write_jsonl(
        tmp_path,
        row(kind="image", file="p.png", fingerprints=None),
        row(kind="audio", file="s.wav", fingerprints=None),
    )
    image, audio = parse_import(path).rows
    assert image.fingerprints == exact_fingerprints(buffer.getvalue(), WorkKind.IMAGE)
    assert audio.fingerprints == exact_fingerprints(wav, WorkKind.AUDIO)


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text("\n" + json.dumps(row()) + "\n   \n" + json.dumps(row(title="B")) + "\n")
    assert [r.line for r in parse_import(path).rows] == [2, 4]


def test_windows_line_endings_and_a_byte_order_mark_are_read(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(row()).encode() + b"\r\n")
    assert len(parse_import(path).rows) == 1


def test_ndjson_extension_and_upper_case_are_accepted(tmp_path: Path) -> None:
    assert parse_import(write_jsonl(tmp_path, row(), name="W.NDJSON")).rows


# --- warnings ----------------------------------------------------------------------------


def test_an_iscc_only_work_is_accepted_with_a_warning(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path, row(), row(fingerprints=None, identifiers={"iscc": "ISCC:KACYPXW445FTYNJ3"})
    )
    plan = parse_import(path)
    assert plan.warnings == (
        RowError(2, "only an ISCC identifies this work; it will match only by ISCC"),
    )


def test_other_identity_warnings(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path,
        row(id="a", fingerprints=None, identifiers={"doi": "10.1000/1"}),
        row(id="b", fingerprints={"sha256": SHA}),
        row(id="c", fingerprints={"sha256": SHA}, identifiers={"doi": "10.1000/1"}),
        row(id="d", creators=[{"name": "A", "share": 1}, {"name": "B"}]),
    )
    raw_only = (
        "only the sha256 of the raw bytes identifies this work; it will match "
        "byte-identical copies only"
    )
    assert [str(w) for w in parse_import(path).warnings] == [
        "line 1: no file or fingerprints: this work will match only by its identifiers (doi)",
        f"line 2: {raw_only}",
        f"line 3: {raw_only}",
        "line 3: doi 10.1000/1 as line 1: is this work listed twice?",
        "line 3: the same bytes as line 2: is this work listed twice?",
        "line 4: creators' shares sum to 1, leaving nothing for creator 2 ('B'), who has no share",
        "line 4: the same bytes as line 2: is this work listed twice?",
    ]


# --- one error each, with its line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (row(title=None), "title is missing"),
        (row(title="   "), "title is empty"),
        (row(kind="sculpture"), "kind 'sculpture' is not one of text, image, audio, video"),
        (row(kind=None), "kind is missing"),
        (
            row(titel="x"),
            "unknown field 'titel' (did you mean 'title'?); expected one of id, "
            "title, kind, file, fingerprints, identifiers, creators, rightsholders, split, consent",
        ),
        (
            row(creators=[{"name": "A", "share": "0.7"}, {"name": "B", "share": "0.5"}]),
            "creators' shares sum to 1.2, more than 1",
        ),
        (
            row(rightsholders=[{"name": "P", "share": "0.6"}, {"name": "Q", "share": "0.6"}]),
            "rightsholders' shares sum to 1.2, more than 1",
        ),
        (
            row(
                rightsholders=[
                    {"name": "P", "share": "0.6"},
                    {"name": "Q", "share": "0.6", "territory": "GB"},
                ]
            ),
            "rightsholders' shares sum to 1.2 in GB (with the world-wide shares), more than 1",
        ),
        (
            row(creators=[{"name": "A", "share": "-0.1"}]),
            "creator 1 ('A') share '-0.1' is negative",
        ),
        (row(creators=[{"name": "A", "share": -0.1}]), "creator 1 ('A') share -0.1 is negative"),
        (row(creators=[{"name": "A", "share": "1.5"}]), "creators' shares sum to 1.5, more than 1"),
        (
            row(creators=[{"name": "A", "share": "a half"}]),
            "creator 1 ('A') share 'a half' is not a decimal from 0 to 1 (write it like 0.25)",
        ),
        (
            row(creators=[{"name": "A", "share": True}]),
            "creator 1 ('A') share must be a string or a number, not true or false",
        ),
        (
            row(creators=[{"name": "A", "share": "0." + "1" * 19}]),
            f"creator 1 ('A') share 0.{'1' * 19} has more than 18 decimal places",
        ),
        (
            row(split={"creators": "0.5", "rightsholders": "0.4"}, rightsholders=[{"name": "P"}]),
            "split sums to 0.9, not 1 (creators 0.5, rightsholders 0.4)",
        ),
        (
            row(split={"creators": "0.5", "rightsholders": "0.5"}),
            "split gives 0.5 to rightsholders, but the row lists none",
        ),
        (row(split={"creators": "1"}), "split: rightsholders is missing"),
        (
            row(identifiers={"isbn": "978-0-306-40615-8"}),
            "invalid ISBN '978-0-306-40615-8': The number's checksum or check digit is invalid.",
        ),
        (
            row(identifiers={"isbn13": "9780306406157"}),
            "identifiers: unknown scheme 'isbn13' (did you mean 'isbn'?); expected one of isbn, "
            "issn, isrc, iswc, doi, iscc, url",
        ),
        (row(identifiers={"doi": []}), "identifiers.doi is empty"),
        (row(identifiers={"url": 5}), "identifiers.url must be a string or a list, not a number"),
        (
            row(creators=[{"name": "A", "isni": "0000000121032684"}]),
            "creator 1 ('A'): invalid ISNI '0000000121032684': The number's checksum or check "
            "digit is invalid.",
        ),
        (
            row(creators=[{"name": "A", "orcid": "0000-0002-1825-0098"}]),
            "creator 1 ('A'): invalid ORCID '0000-0002-1825-0098': expected 0000-0000-0000-000X",
        ),
        (
            row(rightsholders=[{"name": "P", "ipi": "12"}]),
            "rightsholder 1 ('P'): invalid IPI '12': expected 9 to 11 digits",
        ),
        (
            row(creators=[{"name": "A", "role": "singer"}]),
            "creator 1 ('A') role 'singer' is not one of author, translator, illustrator, "
            "photographer, artist, performer, composer, lyricist, narrator, editor, journalist, "
            "other",
        ),
        (
            row(rightsholders=[{"name": "P", "role": "author"}]),
            "rightsholder 1 ('P'): unknown field 'role'; expected one of name, id, isni, ipi, "
            "orcid, email, share, territory, consent",
        ),
        (
            row(rightsholders=[{"name": "P", "territory": "uk"}]),
            "rightsholder 1 ('P') territory 'uk' is not a two-letter ISO 3166 country code "
            "(like GB) or world",
        ),
        (row(creators=[{"name": ""}]), "creator 1 name is empty"),
        (row(creators=[{"share": "0.5"}]), "creator 1: name is missing"),
        (row(creators=[]), "creators is empty"),
        (row(creators=None), "no creators or rightsholders: a work needs at least one"),
        (
            row(fingerprints=None),
            "nothing identifies the work: give file, fingerprints or identifiers",
        ),
        (
            row(consent={"ai_train": "granted"}),
            "consent: unknown use 'ai_train' (did you mean 'ai_training'?); expected one of "
            "data_mining, ai_training, genai_training, ai_inference, search",
        ),
        (
            row(consent={"search": "yes"}),
            "consent.search 'yes' is not one of granted, withheld, ask",
        ),
        (
            row(creators=[{"name": "A", "consent": {"training": "granted"}}]),
            "creator 1 ('A') consent: unknown use 'training' (did you mean 'ai_training'?); "
            "expected one of data_mining, "
            "ai_training, genai_training, ai_inference, search",
        ),
        (
            row(fingerprints={"content_sha256": CONTENT}),
            "fingerprints has content_sha256 but no norm",
        ),
        (
            row(fingerprints={"sha256": "xyz"}),
            "fingerprints.sha256 'xyz' is not 64 hexadecimal digits",
        ),
        (
            row(fingerprints={"md5": "x"}),
            "fingerprints: unknown key 'md5'; "
            "expected one of sha256, content_sha256, norm, near, iscc",
        ),
        (row(fingerprints={}), "fingerprints is empty"),
        (row(kind="image"), "fingerprints.norm 'text-v1' is for text works, but kind is image"),
        (row(id="w 2"), "id 'w 2' may not contain spaces or control characters"),
        (row(id=7), "id must be a string, not a number"),
        ("not json", "not valid JSON: Expecting value at character 1"),
        ('{"title": "a", "title": "b"}', "not valid JSON: key 'title' appears twice in one object"),
        ('{"title": NaN}', "not valid JSON: NaN is not a number"),
        ("[1, 2]", "expected a JSON object, found a list"),
        ("null", "expected a JSON object, found null"),
    ],
)
def test_each_problem_is_named_on_its_line(
    tmp_path: Path, bad: dict[str, Any] | str, message: str
) -> None:
    assert only_problem(tmp_path, bad) == message


def test_a_repeated_id_names_the_first_line(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, row(id="w1"), row(id="w2"), row(id="w9"), row(id="w1"))
    assert problems(path) == ["line 4: id 'w1' repeats line 1"]


def test_many_problems_are_reported_together_in_line_order(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path,
        row(),
        row(kind="sculpture", title=""),
        row(),
        "{broken",
        row(identifiers={"isbn": "978-0-306-40615-8"}, fingerprints=None),
    )
    with pytest.raises(ImportRejected) as caught:
        parse_import(path)
    errors = caught.value.errors
    assert [e.line for e in errors] == [2, 2, 4, 5]
    assert "3 bad rows; nothing was imported" in str(caught.value)
    assert caught.value.exit_code == 2


def test_max_errors_stops_early_and_says_so(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path, *[row(kind="x") for _ in range(10)])
    found = problems(path, max_errors=3)
    assert found[:3] == [
        f"line {n}: kind 'x' is not one of text, image, audio, video" for n in (1, 2, 3)
    ]
    assert found[3] == (
        "line 4: stopped after 3 errors; this line and the rest of the file were not checked"
    )


# --- files -----------------------------------------------------------------------------------


def test_a_missing_file_is_named_with_the_folder(tmp_path: Path) -> None:
    message = only_problem(tmp_path, row(file="texts/missing.txt", fingerprints=None))
    assert message == f"file 'texts/missing.txt' does not exist (relative to {tmp_path.resolve()})"


@pytest.mark.parametrize(
    "name",
    [
        "../secret.txt",
        "texts/../../secret.txt",
        "/etc/passwd",
        "C:\\Windows\\win.ini",
        "//server/share/x",
    ],
)
def test_paths_that_leave_the_import_folder_are_refused(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "import"
    (folder / "texts").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("secret")
    path = write_jsonl(folder, row(file=name, fingerprints=None))
    (message,) = problems(path)
    assert ("outside the import file's folder" in message) or ("is an absolute path" in message)
    assert message.startswith(f"line 1: file {name!r}")


def test_a_link_that_leads_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", folder / "link.txt")
    path = write_jsonl(folder, row(file="link.txt", fingerprints=None))
    assert problems(path) == [
        f"line 1: file 'link.txt' is outside the import file's folder ({folder.resolve()})"
    ]


def test_a_path_that_stays_inside_through_dot_dot_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    (tmp_path / "a.txt").write_text("hello")
    path = write_jsonl(tmp_path, row(file="texts/../a.txt", fingerprints=None))
    assert parse_import(path).rows[0].fingerprints.sha256 is not None


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "texts").mkdir()
    message = only_problem(tmp_path, row(file="texts", fingerprints=None))
    assert message == f"file 'texts' is not a regular file (relative to {tmp_path.resolve()})"


def test_a_text_that_is_not_utf8_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "latin1.txt").write_bytes("café".encode("latin-1") + b"\xff" * 5000)
    message = only_problem(tmp_path, row(file="latin1.txt", fingerprints=None))
    assert message.startswith(
        "file 'latin1.txt' cannot be read as text: unreadable:not_utf8: not UTF-8 text (byte 3"
    )


def test_a_text_work_whose_file_is_an_image_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    (tmp_path / "cover.png").write_bytes(buffer.getvalue())
    message = only_problem(tmp_path, row(file="cover.png", fingerprints=None))
    assert message == "file 'cover.png' holds an image, but kind is text"


def test_a_truncated_image_is_unreadable(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, format="JPEG")
    (tmp_path / "cut.jpg").write_bytes(buffer.getvalue()[:200])
    message = only_problem(tmp_path, row(kind="image", file="cut.jpg", fingerprints=None))
    assert message.startswith("file 'cut.jpg' cannot be read as image: cannot decode image")


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert only_problem(tmp_path, row(file="empty.txt", fingerprints=None)) == (
        "file 'empty.txt' is empty"
    )


# --- the import file itself ---------------------------------------------------------------


def test_a_missing_import_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no such import file"):
        parse_import(tmp_path / "nope.jsonl")


def test_an_unknown_extension_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "works.json"
    path.write_text("{}")
    with pytest.raises(InvalidInput, match=r"cannot tell the format.*'\.json'"):
        parse_import(path)


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_an_empty_file_imports_nothing(tmp_path: Path, content: str) -> None:
    path = tmp_path / "w.jsonl"
    path.write_text(content)
    (message,) = problems(path)
    assert message.endswith(": the file holds no works")


def test_a_line_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "w.jsonl"
    path.write_bytes(json.dumps(row()).encode() + b"\n" + b'{"title": "caf\xe9"}\n')
    assert problems(path) == ["line 2: not UTF-8 (byte 15 of the line)"]


# --- CSV ----------------------------------------------------------------------------------------


def test_csv_and_jsonl_give_the_same_rows(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("text")
    rows = [
        row(id="w1", file="a.txt", fingerprints=None, consent={"ai_training": "withheld"}),
        row(
            title='Quotes "and", commas\nand a second line',
            identifiers={"isbn": "0306406152"},
            rightsholders=[{"name": "P", "share": 0.5, "territory": "FR"}],
            split={"creators": "0.3", "rightsholders": "0.7"},
        ),
        row(creators=[{"name": "A", "share": 0.1}, {"name": "B", "share": "0.2"}]),
    ]
    from_jsonl = parse_import(write_jsonl(tmp_path, *rows))
    from_csv = parse_import(write_csv(tmp_path, *rows))
    assert [r.line for r in from_jsonl.rows] == [1, 2, 3]
    assert [r.line for r in from_csv.rows] == [2, 3, 5]  # row 2's title spans two lines
    assert [replace(r, line=0) for r in from_jsonl.rows] == [
        replace(r, line=0) for r in from_csv.rows
    ]


def test_csv_errors_are_named_by_the_line_the_record_starts_on(tmp_path: Path) -> None:
    path = write_csv(tmp_path, row(title="one\ntwo\nthree"), row(kind="sculpture"))
    assert problems(path) == ["line 5: kind 'sculpture' is not one of text, image, audio, video"]


def test_csv_empty_cells_are_absent_and_columns_may_be_left_out(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text(
        'title,kind,creators,identifiers\nA,text,"[{""name"": ""X""}]","{""doi"": ""10.1000/x""}"\n'
        'B,text,,"{""doi"": ""10.1000/y""}"\n'
    )
    assert problems(path) == ["line 3: no creators or rightsholders: a work needs at least one"]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (
            "title,kind,titel",
            "line 1: unknown column 'titel' (did you mean 'title'?); columns "
            "are id, title, kind, file, fingerprints, identifiers, creators, rightsholders, split, "
            "consent",
        ),
        ("title,kind,kind", "line 1: column 'kind' appears twice"),
        ("title,kind,", "line 1: column 3 has no name"),
        ("title,file", "line 1: no 'kind' column"),
    ],
)
def test_csv_header_problems(tmp_path: Path, header: str, message: str) -> None:
    path = tmp_path / "w.csv"
    path.write_text(header + "\nA,text,x\n")
    assert message in problems(path)


def test_csv_cell_problems(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text('title,kind,creators\nA,text\nB,text,"[{""name"": ""X"",}]"\n')
    assert problems(path) == [
        "line 2: has 2 cells, the header has 3",
        "line 3: creators is not valid JSON: Expecting property name enclosed in double quotes "
        "at character 15",
    ]


def test_csv_with_only_a_header_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("title,kind\n")
    assert problems(path) == ["line 1: the file holds no works"]


def test_csv_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_bytes(b"title,kind\nA,text\ncaf\xe9,text\n")
    assert problems(path) == ["line 3: not UTF-8; save the CSV file as UTF-8"]


# --- decimals ------------------------------------------------------------------------------------


def test_shares_are_exact_decimals_never_floats(tmp_path: Path) -> None:
    # As floats, 0.1 + 0.2 + 0.7 is 1.0000000000000002 and would be refused.
    creators = [
        {"name": "A", "share": 0.1},
        {"name": "B", "share": "0.2"},
        {"name": "C", "share": 0.7},
    ]
    path = write_jsonl(tmp_path, row(creators=creators))
    (work,) = parse_import(path).rows
    assert [c.share for c in work.creators] == [Decimal("0.1"), Decimal("0.2"), Decimal("0.7")]
    assert sum(c.share or 0 for c in work.creators) == Decimal(1)


def test_a_share_keeps_its_written_precision(tmp_path: Path) -> None:
    text = json.dumps(row(creators=[{"name": "A", "share": "SHARE"}]))
    path = write_jsonl(tmp_path, text.replace('"SHARE"', "0.333333333333333333"))
    (work,) = parse_import(path).rows
    assert work.creators[0].share == Decimal("0.333333333333333333")
    assert str(work.creators[0].share) == "0.333333333333333333"


def test_a_plan_of_rows_is_frozen(tmp_path: Path) -> None:
    (work,) = parse_import(write_jsonl(tmp_path, row())).rows
    assert isinstance(work, WorkRow)
    with pytest.raises(AttributeError):
        work.title = "changed"  # type: ignore[misc]
