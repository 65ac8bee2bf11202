"""Usage over time on the dashboards: the plot's numbers are the usage ledger's.

Ada's work is used by Devco's models (a training from the portal, inference
uses in January and March 2025) and by another developer's model; Bob's work
by Devco's. Ada's works page plots only the uses of her works, Devco's models
page only its own models' uses; each chart's table and bars hold exactly the
sums of the ledger's records, computed here straight from its tables. Real app
over HTTP, on SQLite and, with ``--db postgresql``, on PostgreSQL.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import UTC, datetime
from html import unescape

from fastapi import FastAPI
from portal_client import Visitor
from portal_world import ESCAPED, EVIL, TEXTS, register, world
from sqlalchemy import select

from consentry.actions import accounts
from consentry.actions.ledger import record_inference_uses
from consentry.actions.models import add_model_version, list_model_versions
from consentry.store.tables import model_versions
from consentry.store.tables_ledger import ledger_batches, ledger_uses

Sums = dict[tuple[str, str, str], int]


def _ledger(app: FastAPI, *, works: set[str] | None = None, developer: str | None = None) -> Sums:
    """The ledger's own sums per (kind, month, model label), read from its tables."""
    b, u, m = ledger_batches, ledger_uses, model_versions
    query = select(b.c.kind, b.c.used_at, m.c.name, m.c.version, m.c.developer_id, u.c.work_id,
                   u.c["items"], u.c.uses).join(u, u.c.batch_id == b.c.id).join(
                   m, m.c.id == b.c.model_version_id)  # fmt: skip
    sums: Sums = defaultdict(int)
    with app.state.ws.engine.connect() as conn:
        for row in conn.execute(query):
            if (works is not None and row.work_id not in works) or (
                developer is not None and row.developer_id != developer
            ):
                continue
            amount = row.items if row.kind == "training" else row.uses
            sums[(row.kind, row.used_at.strftime("%Y-%m"), f"{row.name} {row.version}")] += amount
    return {k: v for k, v in sums.items() if v}


def _plotted(html: str) -> tuple[Sums, Sums]:
    """The numbers in the page's usage tables, and those its bars are drawn from."""
    table: Sums = {}
    tables = r'<table class="usage-table" data-usage-kind="(\w+)">(.*?)</table>'
    for kind, body in re.findall(tables, html, re.S):
        for model, month, value in re.findall(
            r'<td data-model="([^"]*)" data-month="([^"]*)">(\d+)</td>', body
        ):
            if int(value):
                table[(kind, month, unescape(model))] = int(value)
    bars: Sums = {}
    for kind, svg in re.findall(r'<figure data-usage-kind="(\w+)">(.*?)</figure>', html, re.S):
        for model, month, value in re.findall(
            r'data-series="([^"]*)" data-month="([^"]*)" data-value="(\d+)"', svg
        ):
            bars[(kind, month, unescape(model))] = int(value)
    return table, bars


def test_the_usage_plots_show_exactly_the_ledgers_numbers(app: FastAPI) -> None:
    ws = app.state.ws
    w = world(app)
    assert w.dev.post("/models", "/models", {"name": "summ", "version": "1"}).status_code == 303
    summ = next(m for m, _ in list_model_versions(ws) if m.name == "summ")
    trained = w.dev.post(
        "/models", "/models/training", {"model": summ.id, "dataset_id": w.dataset_id, "used": "all"}
    )
    assert trained.status_code == 303, trained.text
    bob = Visitor(app)
    bob.signup("bob@example.org", "creator", "Bob")
    bobs = register(bob, "Naomi", TEXTS / "ruth.txt")
    devco = summ.developer_id
    chat = add_model_version(ws, "chat", "2", developer_ref=devco)
    other = Visitor(app)
    other.signup("other@example.org", "developer", "Other AI")
    rival = add_model_version(ws, EVIL, "9", developer_ref=_party(app, "other@example.org"))
    record_inference_uses(ws, chat.id, [[w.work_id], [w.work_id, bobs]], at=_at(2025, 1, 15))
    record_inference_uses(ws, chat.id, [[w.work_id]], at=_at(2025, 3, 2))
    record_inference_uses(ws, chat.id, [[bobs]] * 4, at=_at(2025, 2, 9))
    record_inference_uses(ws, rival.id, [[w.work_id]] * 3, at=_at(2025, 1, 20))

    ada_page = w.ada.get("/works").text
    table, bars = _plotted(ada_page)
    assert table == bars == _ledger(app, works={w.work_id}) != {}
    assert table[("inference", "2025-01", "chat 2")] == 2
    assert ("inference", "2025-02", "chat 2") not in table  # Bob's work, not Ada's
    assert '<th scope="row">2025-02</th>' in ada_page  # a month with no use still shows, as 0
    assert ("training", datetime.now(UTC).strftime("%Y-%m"), "summ 1") in table
    assert ESCAPED in ada_page and EVIL not in ada_page  # the rival's model name, escaped

    dev_page = w.dev.get("/models").text
    table, bars = _plotted(dev_page)
    assert table == bars == _ledger(app, developer=devco)
    assert table[("inference", "2025-02", "chat 2")] == 4 and ESCAPED not in dev_page

    assert "Usage over time" not in other.get("/works").text  # a developer has no works page
    assert "Usage over time" in other.get("/models").text
    fresh = Visitor(app)
    fresh.signup("cleo@example.org", "creator", "Cleo")
    assert "Usage over time" not in fresh.get("/works").text  # nothing recorded: no plot


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 12, tzinfo=UTC)


def _party(app: FastAPI, email: str) -> str:
    party = accounts.find_account(app.state.ws, email).party_id
    assert party is not None
    return party
