"""The portal in a real headless Chromium: a creator's whole path, step by step.

A creator signs up and registers a work; a developer scans a corpus holding a
copy of it (excluded: unlicensed) and asks for it from the scan page; the
creator refuses the request in the portal and the developer's re-scan still
excludes the copy; the creator says no to AI training; the
developer's re-scan excludes the copy as ``withheld``; the work is removed
from that dataset version and the creator checks the removal certificate by
dropping in the certificate and their own file. Screenshots of each step are
kept as test artefacts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from consentry.actions.remove import remove_work
from consentry.actions.scan_results import scan_outputs

ROOT = Path(__file__).resolve().parents[2]
RUTH = ROOT / "src" / "consentry" / "samples" / "texts" / "ruth.txt"
PASSWORD = "a long enough password"

pytestmark = pytest.mark.browser


def _signup(page: Any, base: str, name: str, email: str, kind: str) -> None:
    page.goto(f"{base}/signup")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label(kind, exact=False).first.check()
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_url(f"{base}/?note=welcome")


def _scan(page: Any, base: str, corpus: list[Path]) -> str:
    page.goto(f"{base}/scans")
    page.get_by_label("Files to scan").set_input_files([str(p) for p in corpus])
    page.get_by_role("button", name="Scan", exact=True).click()
    page.wait_for_url(f"{base}/jobs/*")  # the progress page, reloading itself while it runs
    page.get_by_role("link", name="See the scan's results").click(timeout=60_000)
    page.wait_for_url(f"{base}/scans/ds_*")
    return str(page.url).split("/scans/")[1].split("?")[0]


def test_a_creators_refusal_is_respected_and_the_removal_verifies(
    chromium: Any, server: tuple[str, Any], artefacts: Path, tmp_path: Path
) -> None:
    base, app = server
    creator = chromium.new_context(viewport={"width": 390, "height": 844})  # a phone
    developer = chromium.new_context()
    ada, dev = creator.new_page(), developer.new_page()

    _signup(ada, base, "Ada <em>Quill</em>", "ada@example.org", "A creator")
    ada.get_by_role("link", name="Register a work").click()
    ada.get_by_label("Title").fill("The Book of Ruth")
    ada.get_by_label("Upload the file").set_input_files(str(RUTH))
    ada.get_by_role("button", name="Register the work").click()
    ada.wait_for_url(f"{base}/works/*")
    work_id = str(ada.url).split("/works/")[1].split("?")[0]
    assert "Nobody may use it until you say so" in ada.content()
    ada.screenshot(path=str(artefacts / "1-registered.png"), full_page=True)

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ruth-copy.txt").write_bytes(RUTH.read_bytes())
    (corpus / "recipe.txt").write_text("Two eggs, flour and milk: whisk, then fry.")
    _signup(dev, base, "Northwind AI", "dev@example.org", "An AI developer")
    _scan(dev, base, sorted(corpus.iterdir()))
    row = dev.locator('tr[data-item="ruth-copy.txt"]')
    assert "unlicensed" in row.inner_text()

    dev.get_by_label("What the works are for").fill("fine-tune a summariser")
    dev.get_by_label("For each work used").fill("150.00")
    dev.get_by_role("button", name="Send the request").click()
    dev.wait_for_url(f"{base}/requests/req_*")
    assert "every creator and rightsholder of each work is asked" in dev.content()

    ada.goto(f"{base}/works")
    ada.get_by_role("link", name="Requests").click()
    ada.locator("#requests a").first.click()
    ada.wait_for_url(f"{base}/requests/req_*")
    assert "150.00 GBP for each work used" in ada.content()
    ada.get_by_label("No — refuse").check()
    ada.get_by_label("Your reason for saying no").fill("Not for machines.")
    ada.get_by_role("button", name="Send my answer").click()
    ada.wait_for_url(f"{base}/requests/*?note=answered")
    assert "Your answer is recorded" in ada.content()
    assert "said no" in ada.locator(f'section[data-work="{work_id}"]').inner_text()
    ada.screenshot(path=str(artefacts / "1b-refused.png"), full_page=True)

    _scan(dev, base, sorted(corpus.iterdir()))
    row = dev.locator('tr[data-item="ruth-copy.txt"]')
    assert "exclude" in row.inner_text() and "unlicensed" in row.inner_text()
    dev.screenshot(path=str(artefacts / "1c-rescan-after-refusal.png"), full_page=True)

    ada.goto(f"{base}/works/{work_id}")
    training = ada.get_by_role("group", name="Training AI models")
    training.get_by_label("No — never").check()
    ada.get_by_role("button", name="Save my answers").click()
    ada.wait_for_url(f"{base}/works/{work_id}?note=consent-saved")
    assert "Your answers are saved" in ada.content()
    ada.screenshot(path=str(artefacts / "2-withheld.png"), full_page=True)

    rescan = _scan(dev, base, sorted(corpus.iterdir()))
    row = dev.locator('tr[data-item="ruth-copy.txt"]')
    assert "withheld" in row.inner_text() and "exclude" in row.inner_text()
    assert dev.locator("svg.chart rect").count() == 2  # withheld and unknown
    dev.screenshot(path=str(artefacts / "3-rescan.png"), full_page=True)

    ws, data_dir = app.state.ws, app.state.settings.data_dir
    removal = remove_work(ws, work_id, rescan, source_dir=scan_outputs(ws, rescan, root=data_dir))

    ada.goto(f"{base}/verify")
    ada.get_by_label("The certificate (JSON)").set_input_files(str(removal.certificate))
    ada.get_by_label("Your file").set_input_files(str(RUTH))
    ada.get_by_role("button", name="Verify").click()
    ada.wait_for_load_state()
    assert "The certificate checks out" in ada.content()
    assert "among those proven absent" in ada.locator("#proven").inner_text()
    ada.screenshot(path=str(artefacts / "4-verified.png"), full_page=True)
    assert (artefacts / "4-verified.png").stat().st_size > 1000
