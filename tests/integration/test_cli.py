"""The ``consentry`` command end to end, on a real database, as a user types it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.cli.app import app

pytestmark = pytest.mark.db

SAMPLES = Path(__file__).resolve().parents[2] / "src" / "consentry" / "samples"


class Cli:
    """Runs the real Typer app against one database, like the console script."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.runner = CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> str:
        result = self.runner.invoke(app, ["--db", self.url, *args], catch_exceptions=True)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"{args} exited {result.exit_code}:\n{result.output}\n{result.exception!r}"
            )
        return result.output

    def json(self, *args: str) -> object:
        return json.loads(self(*args, "--json"))


@pytest.fixture
def cli(database_url: str) -> Cli:
    command = Cli(database_url)
    command("init")
    return command


def test_register_consent_and_licence_end_to_end(cli: Cli, tmp_path: Path) -> None:
    cli("parties", "add", "Ada Quill", "--kind", "creator", "--isni", "0000 0001 2103 2683")
    cli("parties", "add", "Lantern Press", "--kind", "rightsholder")
    cli("parties", "add", "Northwind AI", "--kind", "developer")
    out = cli(
        "works",
        "add",
        str(SAMPLES / "texts" / "ruth.txt"),
        "--title",
        "The Book of Ruth",
        "--creator",
        "Ada Quill:author",
        "--rightsholder",
        "Lantern Press",
        "--id",
        "ruth",
    )
    assert "ruth" in out
    shown = cli.json("consent", "show", "ruth", "--developer", "Northwind AI")
    assert shown["decision"] == "exclude" and shown["reason"] == "unlicensed"  # type: ignore[index]

    cli(
        "licences",
        "grant",
        "--developer",
        "Northwind AI",
        "--work",
        "ruth",
        "--use",
        "ai_training",
        "--granted-by",
        "Ada Quill",
        "--granted-by",
        "Lantern Press",
    )
    shown = cli.json("consent", "show", "ruth", "--developer", "Northwind AI")
    assert shown["decision"] == "include"  # type: ignore[index]
    assert str(shown["reason"]).startswith("licensed:")  # type: ignore[index]

    # Withheld wins, on a use below the one asked for.
    cli("consent", "set", "ruth", "withheld", "--party", "Ada Quill", "--use", "genai_training")
    shown = cli.json("consent", "show", "ruth", "--developer", "Northwind AI")
    assert (shown["decision"], shown["reason"]) == ("exclude", "withheld")  # type: ignore[index]

    works = cli.json("works", "list")
    assert [w["id"] for w in works] == ["ruth"]  # type: ignore[index,union-attr]


def console_script(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed entry point in a new process, as a user's shell would."""
    return subprocess.run(
        [sys.executable, "-c", "from consentry.cli.app import main; main()", "--db", url, *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_consent_can_only_be_set_for_a_party_of_the_work(cli: Cli) -> None:
    cli("parties", "add", "Ada Quill", "--kind", "creator")
    cli("parties", "add", "Cleo Ink", "--kind", "creator")
    cli(
        "works",
        "add",
        str(SAMPLES / "texts" / "jonah.txt"),
        "--title",
        "Jonah",
        "--creator",
        "Ada Quill",
        "--id",
        "jonah",
    )
    proc = console_script(cli.url, "consent", "set", "jonah", "withheld", "--party", "Cleo Ink")
    assert proc.returncode == 2
    assert "not a creator or rightsholder of jonah" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_user_errors_print_a_message_and_hint_not_a_traceback(database_url: str) -> None:
    proc = console_script(database_url, "works", "list")
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    assert "consentry init" in proc.stderr


def test_import_with_a_bad_row_imports_nothing_and_names_the_line(cli: Cli, tmp_path: Path) -> None:
    good = {
        "title": "A",
        "kind": "text",
        "identifiers": {"isbn": "978-0-306-40615-7"},
        "creators": [{"name": "Ada Quill"}],
    }
    bad = {
        "title": "B",
        "kind": "text",
        "identifiers": {"isbn": "978-0-306-40615-8"},
        "creators": [{"name": "Ada Quill"}],
    }
    path = tmp_path / "works.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    proc = console_script(cli.url, "works", "import", str(path))
    assert proc.returncode == 2
    assert "line 2" in proc.stderr and "ISBN" in proc.stderr
    assert "line 1" not in proc.stderr
    assert cli.json("works", "list") == []
    assert cli.json("parties", "list") == []
