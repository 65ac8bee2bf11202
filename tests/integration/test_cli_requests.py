"""``consentry requests`` and ``consentry licences renew`` as a user types them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from requests_world import make_world
from typer.testing import CliRunner

from consentry.cli.app import app
from consentry.errors import InvalidInput


class Cli:
    def __init__(self, url: str) -> None:
        self.url, self.runner = url, CliRunner()

    def __call__(self, *args: str, ok: bool = True) -> str:
        result = self.runner.invoke(app, ["--db", self.url, *args], catch_exceptions=True)
        if ok and result.exit_code != 0:
            raise AssertionError(
                f"{args} exited {result.exit_code}:\n{result.output}\n{result.exception!r}"
            )
        if not ok:
            assert result.exception is not None
            raise result.exception
        return result.output


@pytest.fixture
def cli(database_url: str) -> Iterator[Cli]:
    world = make_world(database_url)
    next(world)
    yield Cli(database_url)
    next(world, None)


def _rid(output: str) -> str:
    return next(w for w in output.split() if w.startswith("req_"))


def test_request_answer_show_and_licence_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    out = cli(
        "requests",
        "create",
        "--developer",
        "p_dev",
        "--work",
        "w_ruth",
        "--work",
        "w_jonah",
        "--use",
        "ai_training",
        "--purpose",
        "summaries",
        "--model",
        "summ-1",
        "--ends",
        "2099-01-01",
        "--fee-terms",
        '{"currency": "GBP", "flat": "500.00"}',
        "--attribution",
        "credit the authors",
    )
    rid = _rid(out)
    assert "for 2 work(s)" in out
    cli("requests", "answer", rid, "--party", "p_ben", "--refuse", "--reason", "no")
    cli("requests", "answer", rid, "--party", "p_ada", "--grant")
    granted = cli("requests", "answer", rid, "--party", "p_press", "--grant")
    assert "in force for w_ruth" in granted
    shown = json.loads(cli("requests", "show", rid, "--json"))
    states = {(r["work_id"], r["party_id"]): r["state"] for r in shown["parties"]}
    assert states == {
        ("w_ruth", "p_ada"): "granted",
        ("w_ruth", "p_press"): "granted",
        ("w_jonah", "p_ben"): "refused",
        ("w_jonah", "p_press"): "granted",
    }
    assert shown["terms"]["fee_terms"] == {"currency": "GBP", "flat": "500.00"}
    listed = json.loads(cli("requests", "list", "--json"))
    assert [r["id"] for r in listed] == [rid] and listed[0]["status"] == "open"
    licence = next(r["licence_id"] for r in shown["parties"] if r["licence_id"])
    agreement = json.loads(cli("requests", "export", licence))
    assert agreement["@type"] == "Agreement" and agreement["uid"].endswith(licence)
    exported = tmp_path / "request.json"
    cli("requests", "export", rid, "--out", str(exported))
    assert json.loads(exported.read_text())["@type"] == "Request"
    with pytest.raises(InvalidInput, match="refused by p_ben"):
        cli("requests", "import", str(exported), ok=False)  # Jonah was refused: not asked again
    renewed = cli("licences", "renew", licence, "--until", "2100-01-01")
    assert "renewal request req_" in renewed
    with pytest.raises(InvalidInput, match="exactly one of"):
        cli("requests", "answer", rid, "--party", "p_ada", ok=False)


def test_counter_accept_withdraw_and_outbox_from_the_command_line(cli: Cli, tmp_path: Path) -> None:
    rid = _rid(cli("requests", "create", "-d", "p_dev", "-w", "w_solo", "-u", "ai_training"))
    shown = json.loads(cli("requests", "show", rid, "--json"))
    counter_terms = dict(shown["terms"], fee_terms={"currency": "EUR", "flat": "900"})
    counter_file = tmp_path / "counter.json"
    counter_file.write_text(json.dumps(counter_terms))
    out = cli("requests", "answer", rid, "-p", "p_ada", "--counter", str(counter_file))
    counter = next(w for w in out.split() if w.startswith("ctr_"))
    offer = json.loads(cli("requests", "export", counter))
    assert offer["@type"] == "Offer" and offer["cs:counterTo"].endswith(rid)
    accepted = cli("requests", "accept", rid, "--counter", counter)
    assert "in force for w_solo" in accepted
    assert "withdrew" in cli("requests", "withdraw", rid)
    outbox = cli("requests", "outbox")
    assert "p_ada" in outbox and "p_dev" in outbox
    assert "ask again after 30 days" in cli(
        "requests", "preferences", "-p", "p_ada", "--ask-again-days", "30"
    )
    offered = cli("requests", "offer", "-r", "p_press", "-d", "p_dev", "-u", "ai_training")
    assert "(offer) for 2 work(s)" in offered
    assert "p_ada" in cli("requests", "assure", _rid(offered))
    withdrawn = cli("requests", "withdraw-consent", "w_solo", "-p", "p_ada", "-u", "ai_training")
    assert "withdrawn from" in withdrawn
