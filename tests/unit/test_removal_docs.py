"""docs/removal.md states contracts: the claims' fields, the log entries' fields, the limits."""

from __future__ import annotations

import re
from pathlib import Path

from consentry.evidence.certificate import CANNOT_PROVE
from consentry.evidence.certificate_verify import schema
from consentry.evidence.events_removal import (
    certificate_issued,
    removal_completed,
    removal_requested,
)

DOC = (Path(__file__).resolve().parents[2] / "docs" / "removal.md").read_text(encoding="utf-8")


def _table(first_header: str) -> dict[str, str]:
    block = DOC.split(f"| {first_header} |", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `([a-z_.]+)` \| (.*) \|$", block, flags=re.M))


def test_every_claims_field_is_documented_in_schema_order() -> None:
    claims = schema()["properties"]["claims"]
    assert list(_table("claims field")) == claims["required"] == list(claims["properties"])


def test_the_log_entries_table_is_what_the_builders_write() -> None:
    entries = {
        e.type.value: ", ".join(f"`{k}`" for k in e.fields)
        for e in (
            removal_requested("rm", "w", "ds", None, None, "t"),
            removal_completed("rm", "w", "ds", "ds2", 0, "d", "t"),
            certificate_issued("rm", "d"),
        )
    }
    assert _table("type") == entries


def test_every_limit_the_certificate_states_is_in_the_threat_model() -> None:
    limits = DOC.split("Not proven, and the certificate says so", 1)[1]
    for statement in CANNOT_PROVE:
        opening = statement.split(":")[0].removeprefix("That ").lower()
        assert opening in limits.lower(), opening
