"""The public lookup agrees with the decision table, follows every change at once, and is strict."""

from __future__ import annotations

from pathlib import Path

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from service_live import Live

from consentry.actions.consent import consent_report, set_consent
from consentry.actions.licences import grant_licence
from consentry.actions.parties import add_party
from consentry.actions.works import add_work
from consentry.domain import ConsentState, PartyKind, Use

TEXT = "The ferryman sings the river's names to the dark water, one by one. " * 30


def _world(live: Live, tmp_path: Path) -> tuple[str, str, str, str, str]:
    ws = live.ws
    a = add_party(ws, "Creator A", PartyKind.CREATOR)
    b = add_party(ws, "Creator B", PartyKind.CREATOR)
    dev = add_party(ws, "Dev", PartyKind.DEVELOPER)
    file = tmp_path / "ferry.txt"
    file.write_text(TEXT, encoding="utf-8")
    work = add_work(
        ws,
        file,
        title="Ferry",
        creators=[{"id": a.id, "name": a.name}, {"id": b.id, "name": b.name}],
        identifiers={"iscc": "ISCC:KEC3S6WWA6XVDPEKZ7LDFOQXLM7GOMGFPLIDCCACCOF7FZ7AGE5KDPOQ"},
    )
    grant_licence(ws, dev.id, [work.id], [Use.AI_TRAINING], granted_by=[a.id, b.id])
    assert work.fingerprints.sha256 is not None
    return work.id, work.fingerprints.sha256, a.id, b.id, dev.id


def test_lookup_agrees_with_the_decision_table_after_every_change(
    live: Live, tmp_path: Path
) -> None:
    work_id, sha, a, b, dev = _world(live, tmp_path)
    client = live.client()
    states = st.sampled_from(list(ConsentState))
    uses = st.sampled_from(list(Use))

    @given(changes=st.lists(st.tuples(st.sampled_from([a, b]), uses, states), max_size=3), use=uses)
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
    def check(changes: list[tuple[str, Use, ConsentState]], use: Use) -> None:
        for party, changed_use, state in changes:
            set_consent(live.ws, work_id, party, changed_use, state)
        answer = client.get(
            "/api/v1/lookup", params={"developer": dev, "use": use.value, "sha256": sha}
        ).json()
        expected = consent_report(live.ws, work_id, developer_ref=dev, use=use).decision
        assert answer["decision"] == ("include" if expected.include else "exclude")
        assert answer["reasons"] == [expected.code]
        assert answer["works"][0]["work_id"] == work_id

    check()


def test_lookup_by_iscc_by_content_hash_and_of_unknown_content(live: Live, tmp_path: Path) -> None:
    work_id, _, _a, b, dev = _world(live, tmp_path)
    set_consent(live.ws, work_id, b, Use.DATA_MINING, ConsentState.WITHHELD)
    client = live.client()
    by_iscc = client.get(
        "/api/v1/lookup",
        params={
            "developer": "Dev",
            "iscc": "kec3s6wwa6xvdpekz7ldfoqxlm7gomgfplidccaccof7fz7age5kdpoq",
        },
    ).json()
    assert by_iscc["decision"] == "exclude" and by_iscc["reasons"] == ["withheld"]
    assert by_iscc["developer"] == dev
    unknown = client.get("/api/v1/lookup", params={"developer": dev, "sha256": "a" * 64}).json()
    assert unknown == {**unknown, "decision": "exclude", "reasons": ["unknown"], "works": []}


def test_lookup_refuses_bad_questions(live: Live, tmp_path: Path) -> None:
    _work_id, sha, a, _, dev = _world(live, tmp_path)
    client = live.client()

    def status(**params: str) -> int:
        return client.get("/api/v1/lookup", params=params).status_code

    assert status(developer=dev) == 400  # neither hash nor ISCC
    assert status(developer=dev, sha256=sha, iscc="ISCC:KEC3S6WWA6XVDPEK") == 400
    assert status(developer=dev, sha256="xyz") == 400
    assert status(developer=dev, iscc="not an iscc") == 400
    assert status(developer=dev, sha256=sha, use="everything") == 422
    assert status(developer="nobody", sha256=sha) == 404
    assert status(developer=a, sha256=sha) == 400  # a creator is not a developer
    assert status(developer=dev, sha256=sha, colour="red") == 200  # extra query keys are ignored


def test_lookup_needs_no_account_and_is_fast_when_warm(live: Live, tmp_path: Path) -> None:
    import time

    _, sha, _, _, dev = _world(live, tmp_path)
    with httpx.Client(base_url=live.url) as client:
        params = {"developer": dev, "sha256": sha}
        assert client.get("/api/v1/lookup", params=params).json()["decision"] == "include"
        start = time.perf_counter()
        for _ in range(50):
            assert client.get("/api/v1/lookup", params=params).status_code == 200
        per_request = (time.perf_counter() - start) / 50
    assert per_request < 0.05, f"{per_request * 1000:.1f} ms per warm lookup"


def test_batch_lookup_answers_each_item_in_order_like_single_lookups(
    live: Live, tmp_path: Path
) -> None:
    work_id, sha, a, _, dev = _world(live, tmp_path)
    set_consent(live.ws, work_id, a, Use.SEARCH, ConsentState.WITHHELD)
    client = live.client()
    items = [
        {"sha256": sha},
        {"sha256": "b" * 64},
        {"iscc": "ISCC:KEC3S6WWA6XVDPEKZ7LDFOQXLM7GOMGFPLIDCCACCOF7FZ7AGE5KDPOQ"},
    ]
    for use in ("ai_training", "search"):
        batch = client.post(
            "/api/v1/lookup", json={"developer": dev, "use": use, "items": items}
        ).json()["answers"]
        singles = [
            client.get("/api/v1/lookup", params={"developer": dev, "use": use, **item}).json()
            for item in items
        ]
        strip = lambda a: {k: v for k, v in a.items() if k != "at"}  # noqa: E731
        assert [strip(b) for b in batch] == [strip(s) for s in singles]
    assert batch[0]["reasons"] == ["withheld"] and batch[1]["reasons"] == ["unknown"]
    too_many = client.post(
        "/api/v1/lookup", json={"developer": dev, "items": [{"sha256": sha}] * 1001}
    )
    assert too_many.status_code == 422
    both = client.post(
        "/api/v1/lookup", json={"developer": dev, "items": [{"sha256": sha, "iscc": "x"}]}
    )
    assert both.status_code == 400
