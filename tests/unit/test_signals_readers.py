"""Each signal reader against the public fixtures and the drafts' own examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consentry.domain import Use
from consentry.signals.ai_txt import AiTxtFile
from consentry.signals.headers import content_signal, content_usage, from_headers
from consentry.signals.html import from_html
from consentry.signals.robots import RobotsFile
from consentry.signals.tdmrep import TdmRepFile
from consentry.signals.xmp import from_xmp

AI_TRAINING = {Use.AI_TRAINING}


def _headers(path: Path) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return [(k.strip(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines if ":" in ln)]


def test_aipref_content_usage_follows_the_drafts_vectors(shared_dir: Path) -> None:
    vectors = json.loads((shared_dir / "fixtures/aipref/aipref-vectors.json").read_text())
    for case in vectors["content_usage_strings"]:
        signals = content_usage(case["value"], "header")
        got = {"train-ai": "unknown", "search": "unknown"}
        for s in signals:
            label = (s.value or "").split("=")[0]
            if label in got and s.status == "ok":
                got[label] = "disallowed" if s.reserved else "allowed"
        assert got == case["expected"], case["id"]


def test_tdmrep_well_known_files_match_the_derived_outcomes(shared_dir: Path) -> None:
    folder = shared_dir / "fixtures/tdmrep"
    expected = json.loads((folder / "expected-outcomes.derived.json").read_text())
    for case in expected["tdmrep_json"]:
        rules = TdmRepFile.parse("example.org", (folder / case["file"]).read_text())
        signal = rules.signal_for(case["path"])
        if case["tdm-reservation"] == "unset":
            assert signal is None, case
            continue
        assert signal is not None, case
        assert bool(signal.reserved) == (case["tdm-reservation"] == 1), case
        assert signal.licensing == case.get("tdm-policy"), case


def test_tdmrep_headers_and_html_meta(shared_dir: Path) -> None:
    folder = shared_dir / "fixtures/tdmrep"
    [image] = from_headers(_headers(folder / "http-response.image-reserved.txt"))
    assert image.reserved == {Use.DATA_MINING} and image.licensing is None
    [page] = from_headers(_headers(folder / "http-response.html-reserved-with-policy.txt"))
    assert page.licensing == "https://provider.com/policies/policy.json"
    [meta] = from_html((folder / "html-meta.reserved-with-policy.html").read_bytes())
    assert meta.reserved == {Use.DATA_MINING}
    assert meta.licensing == "https://provider.com/policies/policy.json"


def test_malformed_reservations_still_reserve() -> None:
    [odd] = from_headers({"TDM-Reservation": "yes please"})
    assert odd.status == "malformed" and odd.reserved == {Use.DATA_MINING}
    [signal] = content_signal("ai-train=maybe", "header")
    assert signal.status == "malformed" and signal.reserved == AI_TRAINING
    broken = TdmRepFile.parse("x.org", "{not json").signal_for("/a")
    assert broken is not None and broken.status == "malformed" and Use.SEARCH in broken.reserved


def test_x_robots_tag_and_meta_noai() -> None:
    [tag] = from_headers([("X-Robots-Tag", "noindex, noai")])
    assert Use.DATA_MINING in tag.reserved
    [bot] = from_headers([("x-robots-tag", "GPTBot: noimageai")])
    assert bot.reserved == AI_TRAINING and bot.value == "GPTBot: noimageai"
    page = b'<!DOCTYPE html><html><head><meta name="robots" content="noai, noimageai"></head>'
    assert [s.value for s in from_html(page)] == ["noai", "noimageai"]
    commented = b"<html><head><!-- <meta name='robots' content='noai'> --></head></html>"
    assert from_html(commented) == []
    odd = b"<html><head><![if !IE]><meta name=robots content=noai><![endif]></head><body><![x]"
    assert [s.value for s in from_html(odd)] == ["noai"]


def test_content_signal_yes_and_no() -> None:
    signals = content_signal("search=yes, ai-input=no, ai-train=no", "header")
    assert [(s.value, sorted(s.reserved), sorted(s.allowed)) for s in signals] == [
        ("search=yes", [], [Use.SEARCH]),
        ("ai-input=no", [Use.AI_INFERENCE], []),
        ("ai-train=no", [Use.AI_TRAINING], []),
    ]


def test_robots_txt_ai_block_list_and_star(shared_dir: Path) -> None:
    block = (shared_dir / "fixtures/robots/ai-robots-txt.robots.txt").read_bytes()
    robots = RobotsFile.parse("example.org", block)
    reserved = {s.value for s in robots.signals_for("/any/page")}
    assert {"User-agent: GPTBot Disallow", "User-agent: CCBot Disallow"} <= reserved
    assert all(not s.startswith("User-agent: * ") for s in reserved)
    star = RobotsFile.parse("x.org", b"User-agent: *\nDisallow: /private/\n")
    assert star.signals_for("/public/a") == []
    [everything] = star.signals_for("/private/a")
    assert everything.reserved == frozenset(Use)


@pytest.mark.parametrize("name", sorted(["99designs.com", "arxiv.org", "abcnews.go.com"]))
def test_real_robots_files_parse_without_error(shared_dir: Path, name: str) -> None:
    path = shared_dir / "fixtures/robots/protego-test_data" / name
    robots = RobotsFile.parse(name, path.read_bytes())
    assert robots.problem is None
    assert isinstance(robots.signals_for("/"), list)


def test_iptc_reference_image_prohibits_generative_training(shared_dir: Path) -> None:
    image = (shared_dir / "fixtures/iptc/IPTC-PhotometadataRef-Std2024.1.jpg").read_bytes()
    [signal] = from_xmp(image)
    assert signal.value == "DMI-PROHIBITED-GENAIMLTRAINING"
    assert signal.reserved == {Use.GENAI_TRAINING}


def test_xmp_with_undefined_entities_or_broken_xml_fails_closed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
        b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><plus:DataMining>&a;</plus:DataMining></x:xmpmeta>"
    )
    [signal] = from_xmp(bomb)
    assert signal.status == "malformed" and signal.reserved == frozenset(Use)
    assert from_xmp(b"no packet here") == []


def test_content_usage_in_robots_txt_follows_the_drafts_worked_example(shared_dir: Path) -> None:
    text = (shared_dir / "fixtures/aipref/attach-example.robots.txt").read_bytes()
    robots = RobotsFile.parse("example.com", text)
    vectors = json.loads((shared_dir / "fixtures/aipref/aipref-vectors.json").read_text())
    for row in vectors["attach"]["robots_example"]["expected_table_from_draft"]:
        signals = robots.signals_for(row["path"])
        if not row["crawl"]:
            assert [s.value for s in signals] == ["User-agent: * Disallow"], row
            continue
        assert [s.value for s in signals] == [row["usage_preference"]], row
        [signal] = signals
        assert bool(signal.reserved) == row["usage_preference"].endswith("=n")
        assert signal.where.endswith(("line 4", "line 5"))


def test_ai_txt_file_type_patterns() -> None:
    ai_txt = AiTxtFile.parse(
        "art.example", b"User-Agent: *\nDisallow: *.jpg\nDisallow: /private/\n"
    )
    [jpg] = ai_txt.signals_for("/gallery/cat.jpg")
    assert jpg.reserved == AI_TRAINING and jpg.standard == "ai.txt"
    assert ai_txt.signals_for("/gallery/notes.txt") == []
    assert ai_txt.signals_for("/private/notes.txt")[0].value == "Disallow"
