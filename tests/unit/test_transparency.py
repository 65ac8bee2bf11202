"""The transparency core: answers, domain ranking, size bands, escaping, validators that bite."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
import spdx_python_model
from hypothesis import given
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.transparency.answers import NOT_PROVIDED, parse_answers
from consentry.transparency.eu_sections import band
from consentry.transparency.eu_summary import to_markdown
from consentry.transparency.html import bar_chart, table
from consentry.transparency.inputs import ItemFacts
from consentry.transparency.sources import domain_of, top_domains


def _item(source: str | None, size: int | None = 10, *, decision: str = "include") -> ItemFacts:
    return ItemFacts(
        item_id=str(source),
        source=source,
        kind="text",
        decision=decision,
        reasons=("unreserved",),
        work_id=None,
        work_ids=(),
        licence_id=None,
        sha256=None,
        content_sha256=None,
        size=size,
    )


def test_answers_are_read_and_missing_ones_are_none() -> None:
    answers = parse_answers('[provider]\ncontact = " a@b.example "\nsme = true\n')
    assert answers.text("provider", "contact") == "a@b.example"
    assert answers.flag("provider", "sme") is True
    assert answers.text("crawled", "behaviour") is None


def test_every_problem_in_the_answers_is_named() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_answers('[provdier]\nname = "x"\n[crawled]\nused = "yes"\nspeed = "fast"\n')
    message = caught.value.message
    assert "3 problem(s)" in message
    assert "[provdier]" in message and "crawled.used must be true or false" in message
    assert "crawled.speed is not a known question" in message
    with pytest.raises(InvalidInput, match="not valid TOML"):
        parse_answers("[provider\n")


def test_domains() -> None:
    assert domain_of("https://WWW.Example.org:8080/a?b") == "example.org"
    assert domain_of("ftp://example.org/x") is None
    assert domain_of("books/ruth.txt") is None
    assert domain_of("http://[::1") is None


def test_top_ten_percent_by_bytes_with_ties_by_name() -> None:
    items = [_item(f"https://d{n:02}.example/p", size=100 - n) for n in range(20)]
    items.append(_item("https://d19.example/q", size=1000))
    found = top_domains(items)
    assert found.measure == "bytes" and found.total_domains == 20
    assert found.domains == (("d19.example", 1081), ("d00.example", 100))


def test_unknown_sizes_rank_by_items_and_say_so() -> None:
    items = [_item("https://a.example/1", None), _item("https://b.example/1", 5)]
    items.append(_item("https://a.example/2", 5))
    found = top_domains(items)
    assert found.measure == "items" and found.domains == (("a.example", 2),)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 10**6)), max_size=200), st.booleans())
def test_top_domains_share_and_order(pairs: list[tuple[int, int]], sme: bool) -> None:
    items = [_item(f"https://h{h}.example/", size) for h, size in pairs]
    found = top_domains(items, sme=sme)
    n = len({h for h, _ in pairs})
    share = 0.05 if sme else 0.10
    assert found.total_domains == n
    assert len(found.domains) == min(math.ceil(n * share), 1000 if sme else n)
    sizes = [s for _, s in found.domains]
    assert sizes == sorted(sizes, reverse=True)
    assert all(s >= 0 for s in sizes)


def test_size_bands() -> None:
    assert band("text", {"tokens": 999_999_999}) == "Less than 1 billion tokens"
    assert band("text", {"tokens": 10**9}) == "1 billion to 10 trillion tokens"
    assert band("image", {"items": 2 * 10**9}) == "More than 1 billion images"
    assert band("audio", {"seconds": str(Decimal(3600 * 20_000))}) == "10,000 to 1 million hours"
    assert band("audio", {"seconds": None}) == NOT_PROVIDED
    assert band("text", {"tokens": None}) == NOT_PROVIDED


def test_html_and_markdown_escape_what_comes_from_data() -> None:
    hostile = '<script>alert("x")</script>'
    assert "<script>" not in table(["a"], [[hostile]])
    assert "<script>" not in bar_chart(hostile, {hostile: 3})
    summary = {
        "model": "m 1",
        "template": "t",
        "generated_at": "now",
        "sections": [
            {
                "number": "1",
                "title": "S",
                "parts": [
                    {
                        "number": "1.1",
                        "title": "P",
                        "answers": [{"question": "Q", "answer": hostile, "source": "developer"}],
                    }
                ],
            }
        ],
    }
    assert "<script>" not in to_markdown(summary)


def test_the_spdx_check_refuses_a_wrong_document() -> None:
    bad = {
        "@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld",
        "@graph": [
            {
                "type": "ai_AIPackage",
                "spdxId": "urn:x:model",
                "creationInfo": "_:c",
                "name": "m",
                "ai_trainedWith": "nothing",
            }
        ],
    }
    with pytest.raises(KeyError, match="Unknown property"):
        spdx_python_model.load_data(bad)


def test_the_docs_list_every_question_and_every_file() -> None:
    import re
    import tomllib
    from pathlib import Path

    from consentry.transparency.answers import KEYS

    docs = (Path(__file__).parents[2] / "docs" / "reports.md").read_text()
    block = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    documented = tomllib.loads(block)
    assert {s: set(v) for s, v in documented.items()} == {s: set(v) for s, v in KEYS.items()}
    parse_answers(block)  # the example itself is a valid answers file
    for name in ("report.json", "report.html", "eu-training-summary.md", "model.spdx.json",
                 "model.cdx.json", "SHA256SUMS", "publication.json"):  # fmt: skip
        assert re.search(rf"`{re.escape(name)}`", docs)
