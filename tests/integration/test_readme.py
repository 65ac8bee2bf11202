"""The README's user guide runs as written, line by line, against a real database."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def guide_commands(heading: str = "## User guide") -> list[list[str]]:
    """The commands of the first ``sh`` block under ``heading``."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(heading, 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, f"README's {heading!r} has no sh block"
    lines = [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#")]
    return [shlex.split(line) for line in lines]


def test_user_guide_runs_as_written(database_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CONSENTRY_DATABASE_URL": database_url,
        "CONSENTRY_INDEX_DIR": str(tmp_path / "index"),
        "CONSENTRY_LOG_KEY_FILE": str(tmp_path / "log.key"),
    }
    # The guide's paths are relative to the repository root; run it in a copy of
    # what it reads, so that what it writes (the scan's outputs) lands in tmp_path.
    work = tmp_path / "checkout"
    for part in ("src/consentry/samples", "docs/examples"):
        shutil.copytree(ROOT / part, work / part)
    outputs: list[str] = []
    for argv in guide_commands():
        assert argv[0] == "consentry", argv
        proc = subprocess.run(
            [sys.executable, "-m", "consentry", *argv[1:]],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"{shlex.join(argv)} failed:\n{proc.stderr}"
        outputs.append(proc.stdout)
    shows = [
        o
        for argv, o in zip(guide_commands(), outputs, strict=True)
        if argv[1:3] == ["consent", "show"]
    ]
    assert "unlicensed" in shows[0]
    assert "include" in shows[1] and "licensed:" in shows[1]
    assert "withheld" in shows[2] and "exclude" in shows[2]
    [matched] = [o for argv, o in zip(guide_commands(), outputs, strict=True) if argv[1] == "match"]
    assert "ruth" in matched and "excerpt" in matched
    assert "exact" in matched
    verified = [
        o
        for argv, o in zip(guide_commands(), outputs, strict=True)
        if argv[1:] == ["log", "verify"]
    ]
    assert verified and "log verified" in verified[0]
    manifest = (work / "scan-out" / "manifest.jsonl").read_text(encoding="utf-8")
    included = [line for line in manifest.splitlines() if '"decision": "include"' in line]
    assert len(included) == 2 and all('"work_id": "ruth"' in line for line in included)
    run_beyond_the_scan(work, env)


BEYOND = "## Beyond the scan"


def run_beyond_the_scan(work: Path, env: dict[str, str]) -> None:
    """The second block, after the user guide, with DATASET and REQUEST filled in as printed."""

    def run(argv: list[str]) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "consentry", *argv[1:]],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == 0, f"{shlex.join(argv)} failed:\n{proc.stderr}{proc.stdout}"
        return proc.stdout

    summary = json.loads((work / "scan-out" / "summary.json").read_text(encoding="utf-8"))
    names = {"DATASET": summary["dataset_version"]}
    commands = guide_commands(BEYOND)
    assert commands[-1][:2] == ["consentry", "serve"], "the block ends by starting the service"
    for argv in commands[:-1]:
        out = run([names.get(arg, arg) for arg in argv])
        if argv[1:3] == ["requests", "create"]:
            found = re.search(r"\b(req_[0-9a-f]+)\b", out)
            assert found, out
            names["REQUEST"] = found.group(1)
    assert json.loads((work / "request.odrl.json").read_text(encoding="utf-8"))["@context"]
    assert (work / "statements.html").exists() and (work / "credits" / "CREDITS").exists()
    assert (work / "removed" / "removal-certificate.json").exists()
    assert (work / "report" / "model.spdx.json").exists()
    run(["consentry", "serve", "--help"])
