"""docs/service.md's API table is the OpenAPI description's list of operations, exactly."""

from __future__ import annotations

import re
from pathlib import Path

from consentry.actions.workspace import init
from consentry.service.app import create_app

DOC = Path(__file__).resolve().parents[2] / "docs" / "service.md"


def test_the_api_table_lists_every_operation_and_nothing_else(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    init(url).close()
    spec = create_app(url).openapi()
    served = {
        f"{method.upper()} {path}"
        for path, operations in spec["paths"].items()
        if path.startswith("/api/v1/")
        for method in operations
    }
    documented = set(re.findall(r"^\| `([A-Z]+ /api/v1/[^`]*)` \|", DOC.read_text(), re.M))
    assert documented == served
