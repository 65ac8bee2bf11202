"""The README's user guide runs as written, line by line, against a real database."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def guide_commands() -> list[list[str]]:
    """The commands of the first ``sh`` block under "## User guide"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## User guide", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None, "README's user guide has no sh block"
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
