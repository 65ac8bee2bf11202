"""Withdrawal hands off to removal; complaint remedies are carried out, atomically."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from handoffs_world import ADA, ADMIN, BO, DEV, PUB, World, build, item_ids
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from consentry.actions import log
from consentry.actions.complaint_remedies import (
    RemedyArgs,
    answer_and_carry_out,
    remedies_of,
    resolve_and_carry_out,
    settlements,
)
from consentry.actions.complaints import Subject, escalate_complaint, file_complaint, show_complaint
from consentry.actions.verify_certificate import verify_file
from consentry.actions.withdrawal_removal import remove_withdrawn, withdraw_and_remove
from consentry.actions.withdrawals import withdraw_consent
from consentry.cli.app import app
from consentry.domain import Use
from consentry.errors import ConflictError, ConsentryError, InvalidInput
from consentry.licensing.complaints import (
    AnswerKind,
    ComplaintRefused,
    ComplaintState,
    Outcome,
    Remedy,
)
from consentry.store.remedies import RemedyStore


@pytest.fixture
def world(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A fresh world per test (see ``handoffs_world``)."""
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "keys" / "log.key"))
    built = build(database_url, tmp_path)
    yield built
    built.ws.close()


DOC = Path(__file__).resolve().parents[2] / "docs" / "complaints.md"


def _file(world: World, work: str = "ruth") -> str:
    subject = Subject(dataset_version_id=world.dataset)
    return file_complaint(world.ws, ADA, DEV, work, subject).complaint.id


def _state(world: World) -> tuple[int, list[str]]:
    folders = sorted(p.name for p in world.root.iterdir() if p.name.startswith("scan"))
    return len(log.entries(world.ws)), folders


# -- withdrawal -> removal ------------------------------------------------------------------


def test_a_withdrawal_removes_the_work_from_the_versions_it_lists(world: World) -> None:
    done = withdraw_and_remove(world.ws, "ruth", BO, [Use.AI_TRAINING])
    assert [d.id for d in done.withdrawal.datasets] == [world.dataset]
    assert done.pending == () and len(done.removed) == 1
    removal = done.removed[0]
    assert removal.items == ("ruth.txt",)
    assert item_ids(removal.out_dir)["ruth.txt"] == "exclude"
    assert _verified(world, removal.certificate)
    types = world.log_types()
    assert types.index("consent.withdrawn") < types.index("removal.requested")
    # Withdrawing again: the new version is already without the work; the old one superseded.
    again = withdraw_and_remove(world.ws, "ruth", ADA, [Use.AI_TRAINING])
    new = removal.removal.new_dataset_version_id
    assert again.removed == () and again.pending == ()
    assert again.superseded == ((world.dataset, new),)
    assert again.already == ((new, removal.removal.id),)


def test_unknown_folders_are_reported_with_what_to_do_and_named_ones_used(world: World) -> None:
    moved = world.root / "moved"
    world.scan_dir.rename(moved)
    withdrawal = withdraw_consent(world.ws, "ruth", PUB, [Use.AI_TRAINING])
    entries, _ = _state(world)
    pending = remove_withdrawn(world.ws, withdrawal)
    assert pending.removed == ()
    [p] = pending.pending
    assert p.dataset_id == world.dataset and "no longer there" in p.why
    assert "--scan DIR" in p.hint and "consentry datasets locate" in p.hint
    assert len(log.entries(world.ws)) == entries
    # A folder named with --scan is matched to its version by the manifest's SHA-256.
    decoy = world.root / "decoy"
    decoy.mkdir()
    (decoy / "manifest.jsonl").write_text("{}\n")
    done = remove_withdrawn(world.ws, withdrawal, scans=[decoy, moved])
    assert [r.removal.dataset_version_id for r in done.removed] == [world.dataset]


def test_the_cli_withdraws_and_removes(world: World) -> None:
    moved = world.root / "moved"
    world.scan_dir.rename(moved)
    args = ["requests", "withdraw-consent", "ruth", "-p", BO, "-u", "ai_training", "--remove"]
    code, out = _run(world, *args)
    assert code == 0, out
    assert f"not removed from {world.dataset}" in out and "hint:" in out
    code, out = _run(world, *args[:-1], "--remove", "--scan", str(moved))
    assert code == 0, out
    assert f"removed from {world.dataset}: new version" in out and "1 item(s)" in out


# -- complaint remedies ---------------------------------------------------------------------


def test_accepting_with_remove_runs_the_removal_and_links_it(world: World) -> None:
    complaint = _file(world)
    done = answer_and_carry_out(world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.REMOVE)
    assert done.complaint.state is ComplaintState.ANSWERED and done.removal is not None
    assert item_ids(done.removal.out_dir)["ruth.txt"] == "exclude"
    [linked] = remedies_of(world.ws, complaint)
    assert (linked.step, linked.remedy, linked.removal_id) == (
        "answer",
        "remove",
        done.removal.removal.id,
    )
    answered = world.last_entry("complaint.answered")
    assert answered["carried_out"] == {
        "remedy": "remove",
        "dataset": world.dataset,
        "removal": done.removal.removal.id,
        "new_dataset": done.removal.removal.new_dataset_version_id,
        "items_removed": 1,
    }
    types = world.log_types()
    assert types[-5:] == [
        "removal.requested",
        "dataset.committed",
        "removal.completed",
        "complaint.answered",
        "certificate.issued",
    ]
    assert _verified(world, done.removal.certificate)


def test_a_failure_inside_the_unit_of_work_leaves_nothing_half_done(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    complaint = _file(world)
    before = _state(world)

    def boom(self: RemedyStore, done: object) -> None:
        raise InvalidInput("the remedy could not be recorded")

    monkeypatch.setattr(RemedyStore, "add", boom)
    with pytest.raises(InvalidInput, match="could not be recorded"):
        answer_and_carry_out(world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.REMOVE)
    assert _state(world) == before  # no entry, no new version folder
    assert show_complaint(world.ws, complaint).complaint.state is ComplaintState.OPEN
    assert remedies_of(world.ws, complaint) == []


def test_remove_without_a_known_folder_is_refused_and_changes_nothing(world: World) -> None:
    complaint = _file(world)
    world.scan_dir.rename(world.root / "gone")
    before = _state(world)
    with pytest.raises(InvalidInput, match="no longer there") as refused:
        answer_and_carry_out(world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.REMOVE)
    assert refused.value.hint is not None and "--from DIR" in refused.value.hint
    assert _state(world) == before
    assert show_complaint(world.ws, complaint).complaint.state is ComplaintState.OPEN
    args = RemedyArgs(source_dir=world.root / "gone", out_dir=world.root / "scan-v2")
    done = answer_and_carry_out(
        world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.REMOVE, args=args
    )
    assert done.removal is not None and done.removal.out_dir == world.root / "scan-v2"


def test_pay_settles_the_liability_split_among_the_parties(world: World) -> None:
    complaint = _file(world)
    args = RemedyArgs(amount=Decimal("10.01"), currency="GBP")
    done = answer_and_carry_out(
        world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.PAY, args=args
    )
    assert done.done is not None and done.done.amount_minor == 1001
    # Ruth: creators' half 3:1 (Ada, Bo), rightsholder's half (Pub); the cent left goes to Pub.
    assert dict(done.done.parts) == {ADA: 375, BO: 125, PUB: 501}
    assert world.last_entry("complaint.answered")["carried_out"] == {
        "remedy": "pay",
        "currency": "GBP",
        "amount_minor": 1001,
        "parts": {ADA: 375, BO: 125, PUB: 501},
    }
    assert [(s.party_id, s.amount_minor) for s in settlements(world.ws, "Bo Reed")] == [(BO, 125)]
    code, out = _run(world, "ledger", "settlements", "--json")
    assert code == 0 and sum(int(Decimal(r["amount"]) * 100) for r in json.loads(out)) == 1001


@pytest.mark.parametrize(
    ("remedy", "args", "message"),
    [
        (Remedy.PAY, RemedyArgs(amount=Decimal("1.001"), currency="GBP"), "minor unit"),
        (Remedy.PAY, RemedyArgs(amount=Decimal("5"), currency="ZZZ"), "ISO 4217"),
        (Remedy.LICENSE, RemedyArgs(licence_id="lic_missing"), "lic_missing"),
        (Remedy.REMOVE, RemedyArgs(dataset_id="ds_other"), "which dataset version"),
    ],
)
def test_remedies_that_cannot_be_carried_out_change_nothing(
    world: World, remedy: Remedy, args: RemedyArgs, message: str
) -> None:
    complaint = _file(world)
    before = _state(world)
    with pytest.raises(ConsentryError, match=message):
        answer_and_carry_out(world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=remedy, args=args)
    assert _state(world) == before
    assert remedies_of(world.ws, complaint) == []


def test_two_carried_out_answers_at_once_one_wins_and_the_other_leaves_nothing(
    world: World,
) -> None:
    complaint = _file(world)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(remedy: Remedy, args: RemedyArgs) -> None:
        barrier.wait()
        try:
            answer_and_carry_out(
                world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=remedy, args=args
            )
            outcomes.append(remedy.value)
        except (ConflictError, ComplaintRefused):
            outcomes.append("refused")

    pay = RemedyArgs(amount=Decimal("1.00"), currency="GBP")
    threads = [
        threading.Thread(target=answer, args=(Remedy.REMOVE, RemedyArgs())),
        threading.Thread(target=answer, args=(Remedy.PAY, pay)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("refused") == 1, outcomes
    [won] = [o for o in outcomes if o != "refused"]
    assert [d.remedy for d in remedies_of(world.ws, complaint)] == [won]
    assert world.log_types().count("complaint.answered") == 1
    new_folders = [p for p in world.root.iterdir() if p.name.startswith("scan-")]
    assert len(new_folders) == (1 if won == "remove" else 0)
    assert world.log_types().count("removal.completed") == len(new_folders)


def test_license_links_the_licence(world: World) -> None:
    complaint = _file(world)
    args = RemedyArgs(licence_id=world.licence_id)
    done = answer_and_carry_out(
        world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.LICENSE, args=args
    )
    assert done.done is not None and done.done.licence_id == world.licence_id
    assert world.last_entry("complaint.answered")["carried_out"] == {
        "remedy": "license",
        "licence": world.licence_id,
    }


def test_an_administrator_upholding_carries_out_the_remedy(world: World) -> None:
    complaint = _file(world, "ps")
    answer_and_carry_out(
        world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=Remedy.PAY,
        args=RemedyArgs(amount=Decimal("1.00"), currency="GBP"),
    )  # fmt: skip
    escalate_complaint(world.ws, complaint, ADA)
    done = resolve_and_carry_out(
        world.ws, complaint, ADMIN, Outcome.UPHELD, remedy=Remedy.REMOVE, administrators=[ADMIN]
    )
    assert done.complaint.state is ComplaintState.RESOLVED and done.removal is not None
    assert done.removal.items == ("psalms.txt",)
    assert [(d.step, d.remedy) for d in remedies_of(world.ws, complaint)] == [
        ("answer", "pay"),
        ("resolution", "remove"),
    ]
    assert world.last_entry("complaint.resolved")["carried_out"]["removal"] == (  # type: ignore[index]
        done.removal.removal.id
    )


def test_the_cli_accepts_and_carries_out(world: World) -> None:
    complaint = _file(world)
    code, out = _run(
        world, "complaints", "answer", complaint, "--by", DEV, "--accept", "pay",
        "--amount", "3.00", "--currency", "GBP",
    )  # fmt: skip
    assert code == 0, out
    assert "settled 3.00 GBP" in out
    code, out = _run(world, "complaints", "show", complaint)
    assert code == 0 and "answer: pay, 3.00 GBP settled to 3 part(ies)" in out


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cents=st.integers(min_value=1, max_value=10**9))
def test_settled_parts_always_sum_to_the_amount(world: World, cents: int) -> None:
    from consentry.ledger.splits import party_fractions, split_minor

    with world.ws.transaction() as registry:
        fractions = party_fractions(registry.get_work("ruth"))
    parts = split_minor(cents, fractions)
    assert sum(parts.values()) == cents and set(parts) == {ADA, BO, PUB}


def _run(world: World, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["--db", world.ws.url, *args], catch_exceptions=True)
    return result.exit_code, result.output


def _documented(remedy: str) -> set[str]:
    """The ``carried_out`` fields docs/complaints.md lists for ``remedy``."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| carried_out |"))
    for line in lines[start + 2 :]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0] == remedy:
            return set(cells[1].split(", "))
    raise AssertionError(f"docs/complaints.md lists no carried_out row for {remedy}")


def test_the_documented_carried_out_fields_are_the_logged_ones(world: World) -> None:
    for remedy, args in (
        (Remedy.LICENSE, RemedyArgs(licence_id=world.licence_id)),
        (Remedy.PAY, RemedyArgs(amount=Decimal("2.00"), currency="GBP")),
        (Remedy.REMOVE, RemedyArgs()),
    ):
        complaint = _file(world)
        answer_and_carry_out(world.ws, complaint, DEV, AnswerKind.ACCEPT, remedy=remedy, args=args)
        done = world.last_entry("complaint.answered")["carried_out"]
        assert isinstance(done, dict) and set(done) == _documented(remedy.value)


def _verified(world: World, certificate: Path) -> bool:
    report = verify_file(certificate, key=log.public_key(world.ws))
    return report.ok
