"""The tables in docs/ are contracts: they must say exactly what the code does.

Adding a use or a reason without documenting it (or documenting one the code
lacks) fails here, as does a table row that the code decides differently.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from test_registry_builders import AIT, GEN, G, W, consent, decide, licence, work

from consentry.domain import USE_DESCRIPTIONS, USE_PARENT, Reason, Use
from consentry.registry import WorkDecision

DOCS = Path(__file__).resolve().parents[2] / "docs"

Table = list[dict[str, str]]


def tables(path: Path) -> list[Table]:
    """Every pipe table in a markdown file, as rows keyed by header (backticks stripped)."""
    found: list[Table] = []
    block: list[str] = []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            header, separator, *rows = (_cells(b) for b in block)
            assert all(set(c) <= set("-: ") for c in separator), f"{path}: bad table {header}"
            found.append([dict(zip(header, row, strict=True)) for row in rows])
            block = []
    return found


def _cells(line: str) -> list[str]:
    return [c.strip().replace("`", "") for c in line.strip().strip("|").split("|")]


def table_with(path: Path, *columns: str) -> Table:
    """The one table in ``path`` whose header starts with ``columns``."""
    matching = [t for t in tables(path) if t and list(t[0])[: len(columns)] == list(columns)]
    assert len(matching) == 1, f"{path.name}: expected one table headed {columns}"
    return matching[0]


def uses_in(cell: str) -> set[Use]:
    return {Use(name.strip()) for name in cell.split(",")}


# -- docs/uses.md ----------------------------------------------------------------------


def test_the_uses_table_is_exactly_the_use_hierarchy() -> None:
    rows = table_with(DOCS / "uses.md", "use", "parent", "meaning")
    documented = [(r["use"], r["parent"], r["meaning"]) for r in rows]
    expected = [
        (u.value, USE_PARENT[u].value if u in USE_PARENT else "—", USE_DESCRIPTIONS[u]) for u in Use
    ]
    assert documented == expected
    assert set(USE_DESCRIPTIONS) == set(Use)


def test_the_uses_diagram_is_the_hierarchy() -> None:
    text = (DOCS / "uses.md").read_text(encoding="utf-8")
    diagram = re.search(r"```\n(.*?)```", text, re.DOTALL)
    assert diagram is not None
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for line in diagram.group(1).splitlines():
        depth = (len(line) - len(line.lstrip())) // 2
        del stack[depth:]
        parents[line.strip()] = stack[-1] if stack else None
        stack.append(line.strip())
    assert parents == {u.value: (USE_PARENT[u].value if u in USE_PARENT else None) for u in Use}


def test_the_covers_and_blocks_table_matches_the_code() -> None:
    rows = table_with(DOCS / "uses.md", "request for", "blocked by withheld on")
    assert [r["request for"] for r in rows] == [u.value for u in Use]
    for row in rows:
        asked = Use(row["request for"])
        assert uses_in(row["blocked by withheld on"]) == asked.related(), asked
        covering = {u for u in Use if u.covers(asked)}
        assert uses_in(row["covered by a grant or licence on"]) == covering, asked


# -- docs/decision-table.md --------------------------------------------------------------

DECISION_TABLE = DOCS / "decision-table.md"
WITHHELD_COLUMN = "any party of W withheld U (or a use above/below U)"
LICENCE_COLUMN = "licence to D covering U, M, T, R"
CONSENT_COLUMN = "every creator and rightsholder of W consented to it"


def _code_pattern(code: str) -> str:
    return code.split(":", 1)[0]


def test_the_reason_codes_are_exactly_the_reasons() -> None:
    rows = table_with(DECISION_TABLE, "code", "decision", "meaning")
    assert [_code_pattern(r["code"]) for r in rows] == [r.value for r in Reason]
    for row in rows:
        assert row["decision"] == ("include" if row["code"].startswith("licensed") else "exclude")
        assert row["meaning"], row["code"]


@pytest.mark.parametrize("reason", list(Reason))
def test_each_reason_renders_as_documented(reason: Reason) -> None:
    rows = table_with(DECISION_TABLE, "code", "decision", "meaning")
    documented = next(r["code"] for r in rows if _code_pattern(r["code"]) == reason.value)
    decision = WorkDecision(
        work_id="w1",
        include=reason is Reason.LICENSED,
        reason=reason,
        use=AIT,
        parties=(),
        licence_id="L9" if reason is Reason.LICENSED else None,
    )
    assert decision.code == documented.replace("<licence id>", "L9")


def _decide_row(withheld: bool, licensed: bool, consented: bool) -> WorkDecision:
    """A creator and a rightsholder, in the situation a table row describes."""
    w = work(creators=("p_a",), holders=("p_r",))
    consents = [consent("p_r", GEN, W)] if withheld else []
    if consented and not licensed:
        consents += [consent("p_a", AIT, G, on=0), consent("p_r", AIT, G, on=0)]
    grants = {"p_a": 1.0, "p_r": 1.0} if consented else {"p_r": 1.0}
    deal = licence(grants=grants) if licensed else licence(dev="p_other", grants=grants)
    return decide(w, consents, [deal])


def _values(cell: str) -> list[bool]:
    return {"yes": [True], "no": [False], "any": [True, False]}[cell]


def test_the_decision_table_is_what_decide_work_does() -> None:
    rows = table_with(DECISION_TABLE, WITHHELD_COLUMN, LICENCE_COLUMN, CONSENT_COLUMN)
    assert [_code_pattern(r["reason"]) for r in rows] == [r.value for r in Reason]
    seen: list[tuple[bool, bool, bool]] = []
    for row in rows:
        cases = itertools.product(
            _values(row[WITHHELD_COLUMN]),
            _values(row[LICENCE_COLUMN]),
            _values(row[CONSENT_COLUMN]),
        )
        for case in cases:
            d = _decide_row(*case)
            assert ("include" if d.include else "exclude") == row["decision"], (row, case)
            assert d.code == row["reason"].replace("<licence id>", "L1"), (row, case)
            seen.append(case)
    assert sorted(seen) == sorted(itertools.product((True, False), repeat=3))  # each once
