"""The demo's portal step and ``consentry demo --serve``: sign in as each demo account."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from portal_client import Visitor

from consentry.actions import accounts
from consentry.actions.demo import BASE_STEPS, run_demo
from consentry.actions.demo_portal import DEMO_ACCOUNTS, DEMO_PASSWORD, portal_accounts
from consentry.cli import demo_serve
from consentry.service.app import create_app
from consentry.service.settings import ServiceSettings


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024))


def test_demo_accounts_sign_in_and_see_the_demo_data(tmp_path: Path) -> None:
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, portal_accounts))
    listed = ctx.paths["accounts"].read_text().splitlines()
    assert [line.split("\t")[0] for line in listed] == [a.email for a in DEMO_ACCOUNTS]
    app = create_app(demo_serve.demo_url(ctx), settings=ServiceSettings(secure_cookies=False))
    try:
        expected = {
            "ada@demo.consentry.test": ("/works", ["The Book of Ruth", "Genesis 1-2"]),
            "lantern@demo.consentry.test": ("/works", ["The Book of Jonah", "Cleo Ink"]),
            "northwind@demo.consentry.test": ("/scans", [ctx.scan.dataset_version or "?"]),
        }
        for email, (path, shown) in expected.items():
            visitor = Visitor(app)
            assert visitor.login(email, DEMO_PASSWORD).status_code == 303
            html = visitor.get(path).text
            for text in shown:
                assert text in html, (email, text)
        northwind = Visitor(app)
        northwind.login("northwind@demo.consentry.test", DEMO_PASSWORD)
        scan = northwind.get(f"/scans/{ctx.scan.dataset_version}").text
        assert "<svg" in scan and "exclude: withheld" in scan
        ada = Visitor(app)
        ada.login("ada@demo.consentry.test", DEMO_PASSWORD)
        assert "Which models used this work" in ada.get("/works/ruth").text
    finally:
        app.state.ws.close()


def test_demo_serve_makes_missing_accounts_prints_them_and_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = run_demo(tmp_path / "demo")  # the portal step not wired in: --serve makes them
    served: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        served.update(options, app=app)

    import uvicorn

    monkeypatch.setattr(uvicorn, "run", fake_run)
    demo_serve.serve_demo(ctx, port=8765)
    out = capsys.readouterr().out
    assert "ada@demo.consentry.test" in out and DEMO_PASSWORD in out
    assert served["host"] == "127.0.0.1" and served["port"] == 8765
    visitor = Visitor(served["app"])
    assert visitor.login("ada@demo.consentry.test", DEMO_PASSWORD).status_code == 303
    reports = Visitor(served["app"]).get("/reports").text  # the demo's report is public
    assert "No reports are published yet" not in reports and "/reports/" in reports
    served["app"].state.ws.close()
