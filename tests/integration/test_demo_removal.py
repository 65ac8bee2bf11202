"""The demo's removal step: a certificate that verifies offline, and fails after any edit."""

from __future__ import annotations

import json
from pathlib import Path

from consentry.actions.demo import BASE_STEPS, run_demo
from consentry.actions.demo_removal import remove_and_certify
from consentry.actions.log import public_key, verify
from consentry.actions.verify_certificate import verify_file
from consentry.actions.workspace import open_workspace


def test_the_demo_removes_ruth_and_its_certificate_verifies(tmp_path: Path) -> None:
    ctx = run_demo(tmp_path / "demo", steps=(*BASE_STEPS, remove_and_certify))
    cert_path = ctx.paths["certificate"]
    cert = json.loads(cert_path.read_text(encoding="utf-8"))
    items = [i["item_id"] for i in cert["claims"]["removed"]["items"]]
    assert items == ["books/ruth.txt", "essays/on-loyalty.txt"]
    assert [m["name"] for m in cert["claims"]["models"]] == ["northwind-base"]
    assert ctx.paths["certificate_html"].read_text(encoding="utf-8").startswith("<!doctype html>")
    cleared = sorted(p.name for p in (ctx.paths["removal"] / "cleared").rglob("*") if p.is_file())
    assert cleared == ["chelsea-small.jpg"]
    ws = open_workspace(f"sqlite:///{ctx.paths['registry']}")
    try:
        key = public_key(ws)
        assert verify(ws).ok
    finally:
        ws.close()
    work = ctx.root / "works" / "texts" / "ruth.txt"
    hashes = ctx.paths["removal"] / "included-hashes.bin"
    assert verify_file(cert_path, key=key, work=work, hashes=hashes).ok
    # Edited anywhere (first, middle and last byte here; every byte in the unit tests): refused.
    raw = cert_path.read_bytes()
    for at in (0, len(raw) // 2, len(raw) - 2):
        edited = tmp_path / f"edited-{at}.json"
        edited.write_bytes(raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :])
        assert not verify_file(edited, key=key, work=work, hashes=hashes).ok
