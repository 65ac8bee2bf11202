"""C2PA / CAWG training-mining statements against the offline read-out of the fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from consentry.domain import Use
from consentry.signals.c2pa import from_c2pa

MEDIA = [
    "A.jpg",
    "C.jpg",
    "C_with_CAWG_data.jpg",
    "adobe_connected_identities.jpg",
    "ims_multiple_manifests.jpg",
    "sample1_signed.wav",
    "sample_c2pa.png",
]


@pytest.mark.parametrize("name", MEDIA)
def test_statements_match_the_verified_read_out(shared_dir: Path, name: str) -> None:
    folder = shared_dir / "fixtures/c2pa"
    verified = json.loads((folder / "verified-c2pa-python-0.38.1.json").read_text())
    result = verified["results"][name]
    expected: dict[str, str] = {}
    active = result.get("active_manifest")
    for entries in result.get("training_mining", {}).get(active, {}).values():
        expected |= entries
    signals = from_c2pa((folder / name).read_bytes())
    got = {(s.value or "").split("=")[0]: (s.value or "").split("=")[1] for s in signals}
    assert got == expected
    for signal in signals:
        answer = (signal.value or "").split("=")[1]
        assert bool(signal.reserved) == (answer in ("notAllowed", "constrained"))
        assert not signal.allowed, "no fixture manifest is trusted offline: allowed is not consent"
        assert result["validation_state"] in (signal.note or "")


@pytest.mark.parametrize("cut", ["zeroed", "truncated"])
def test_a_damaged_manifest_reserves_every_use(shared_dir: Path, cut: str) -> None:
    data = (shared_dir / "fixtures/c2pa/sample_c2pa.png").read_bytes()
    at = data.index(b"jumb")
    damaged = (
        data[: at + 40] + bytes(200) + data[at + 240 :] if cut == "zeroed" else data[: at + 500]
    )
    [signal] = from_c2pa(damaged)
    assert signal.status == "malformed"
    assert signal.reserved == frozenset(Use)
