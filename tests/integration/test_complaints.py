"""Complaints through the Python API on a real database: filing, the check, every move, the log."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from consentry.actions import complaints as api
from consentry.actions.demo import (
    DEVELOPER,
    DemoContext,
    consent_and_licences,
    prepare,
    register,
    scan_corpus,
)
from consentry.actions.log import entries
from consentry.actions.models import add_model_version, record_training
from consentry.actions.workspace import Workspace, init
from consentry.cli.app import app
from consentry.errors import ConflictError, ConsentryError, InvalidInput, NotFound
from consentry.evidence.entry import EntryType
from consentry.licensing.complaints import (
    AnswerKind,
    ComplaintRefused,
    ComplaintState,
    Outcome,
    RejectReason,
    Remedy,
)
from consentry.licensing.complaints_check import ComplaintRecord, RowUse, Verdict
from consentry.provenance import TrainedOn

ADA, CLEO, LANTERN = "p_ada", "p_cleo", "p_lantern"


@dataclass
class Scanned:
    """A registry with the demo's works and one scan of the sample corpus for the developer."""

    ws: Workspace
    dataset: str
    manifest: Path
    corpus: Path

    def file(self, work: str = "genesis", by: str = ADA, **extra: object) -> ComplaintRecord:
        subject = extra.pop("subject", api.Subject(dataset_version_id=self.dataset))
        extra.setdefault("manifests", [self.manifest])
        return api.file_complaint(self.ws, by, DEVELOPER, work, subject, **extra)  # type: ignore[arg-type]

    def log_types(self) -> list[str]:
        return [e.type for e in entries(self.ws)]


@pytest.fixture
def scanned(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Scanned]:
    # A server database has no folder of its own: keep the index and log key in tmp_path.
    monkeypatch.setenv("CONSENTRY_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("CONSENTRY_LOG_KEY_FILE", str(tmp_path / "log.key"))
    monkeypatch.delenv(api.ADMINISTRATORS_ENV, raising=False)
    ws = init(database_url)
    ctx = DemoContext(root=tmp_path, ws=ws)
    for step in (prepare, register, consent_and_licences, scan_corpus):
        step(ctx)
    assert ctx.scan is not None and ctx.scan.dataset_version is not None
    yield Scanned(ws, ctx.scan.dataset_version, ctx.paths["manifest"], ctx.paths["corpus"])
    ws.close()


def _last_entry(scanned: Scanned) -> dict[str, object]:
    body: dict[str, object] = json.loads(entries(scanned.ws)[-1].body)
    return body


def _clock(monkeypatch: pytest.MonkeyPatch, at: datetime) -> None:
    monkeypatch.setattr(Workspace, "now", lambda self: at)


def test_an_excluded_work_shows_its_manifest_row_and_no_use(scanned: Scanned) -> None:
    before = scanned.log_types()
    filed = scanned.file(files=[scanned.corpus / "web" / "genesis-page.html"])
    check = filed.check
    assert check.verdict is Verdict.EXCLUDED
    [row] = check.rows
    assert (row.item_id, row.decision, row.reasons, row.use) == (
        "web/genesis-page.html",
        "exclude",
        ("withheld",),
        RowUse.EXCLUDED,
    )
    lines = scanned.manifest.read_bytes().splitlines()
    assert b'"web/genesis-page.html"' in lines[row.row]
    [evidence] = filed.evidence
    assert evidence.holds_work and evidence.matches[0].startswith("genesis:near:")
    assert scanned.log_types() == [*before, EntryType.COMPLAINT_FILED.value]
    body = _last_entry(scanned)
    assert body["verdict"] == "excluded" and body["rows_sha256"] == check.rows_sha256()
    assert "statement" not in body and body["complaint"] == filed.complaint.id
    assert api.show_complaint(scanned.ws, filed.complaint.id) == filed


def test_the_check_follows_the_trainings(scanned: Scanned) -> None:
    add_model_version(scanned.ws, "nw", "1", developer_ref=DEVELOPER)
    record_training(scanned.ws, "nw", "1", scanned.dataset, used=TrainedOn.CLEARED)
    cleared = scanned.file(subject=api.Subject(model=("nw", "1")))
    assert cleared.check.verdict is Verdict.EXCLUDED
    assert [(t.used, t.dataset_version_id) for t in cleared.check.trainings] == [
        ("cleared", scanned.dataset)
    ]
    assert cleared.check.rows[0].used_by == ()
    # The same scan, but a second model version trained on everything scanned.
    model = add_model_version(scanned.ws, "nw", "2", developer_ref=DEVELOPER)
    record_training(scanned.ws, "nw", "2", scanned.dataset, used=TrainedOn.ALL)
    used = scanned.file(subject=api.Subject(model=("nw", "2")))
    assert used.check.verdict is Verdict.UNLICENSED_USE
    [row] = used.check.rows
    assert row.use is RowUse.UNLICENSED and row.used_by == (model.id,)
    # About the dataset version itself, every model trained on it counts.
    both = scanned.file()
    assert both.check.verdict is Verdict.UNLICENSED_USE
    assert len(both.check.trainings) == 2


def test_included_unchecked_and_named_rows(scanned: Scanned) -> None:
    ruth = scanned.file("ruth", by=LANTERN)
    assert ruth.check.verdict is Verdict.LICENSED_USE
    assert {r.item_id for r in ruth.check.rows} == {"books/ruth.txt", "essays/on-loyalty.txt"}
    assert all(r.licence_id and r.use is RowUse.LICENSED for r in ruth.check.rows)
    scan_dir = scanned.manifest.parent
    moved = scan_dir.rename(scan_dir.with_name("moved-away"))  # so the recorded folder is gone
    unchecked = scanned.file(manifests=[])
    moved.rename(scan_dir)
    assert unchecked.check.verdict is Verdict.UNCHECKED
    assert unchecked.check.unchecked == (scanned.dataset,)
    named = scanned.file(items=["misc/recipe.txt"], manifests=[scanned.manifest.parent])
    assert {r.item_id for r in named.check.rows} == {"web/genesis-page.html", "misc/recipe.txt"}


BAD_FILINGS: list[tuple[dict[str, object], type[Exception], str]] = [
    ({"by": CLEO}, InvalidInput, "not a creator or rightsholder of work genesis"),
    ({"work": "nope"}, NotFound, "nope"),
    ({"subject": api.Subject(dataset_version_id="ds_missing")}, NotFound, "ds_missing"),
    ({"subject": api.Subject(model=("ghost", "1"))}, NotFound, "ghost"),
    ({"subject": api.Subject()}, InvalidInput, "dataset version or a model"),
    ({"answer_within_days": 0}, InvalidInput, "answer period"),
    ({"files": [Path("/nonexistent/file.txt")]}, InvalidInput, "not a readable file"),
]


def test_bad_filings_are_refused_and_change_nothing(scanned: Scanned, tmp_path: Path) -> None:
    for changes, error, message in BAD_FILINGS:
        given = dict(changes)
        work = str(given.pop("work", "genesis"))
        with pytest.raises(error, match=message):
            scanned.file(work, **given)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="not a developer"):
        api.file_complaint(
            scanned.ws, ADA, LANTERN, "genesis", api.Subject(dataset_version_id=scanned.dataset)
        )
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(scanned.manifest.read_bytes().replace(b'"exclude"', b'"include"'))
    with pytest.raises(InvalidInput, match="is not the manifest of dataset version"):
        scanned.file(manifests=[forged])
    assert api.list_complaints(scanned.ws) == []
    assert EntryType.COMPLAINT_FILED.value not in scanned.log_types()


def test_answer_then_settle_each_move_one_log_entry(scanned: Scanned) -> None:
    cid = scanned.file().complaint.id
    before = len(scanned.log_types())
    with pytest.raises(ComplaintRefused, match="only the developer"):
        api.answer_complaint(scanned.ws, cid, ADA, AnswerKind.REJECT, reason=RejectReason.OTHER)
    answered = api.answer_complaint(
        scanned.ws, cid, DEVELOPER, AnswerKind.REJECT, reason=RejectReason.NOT_USED, note="excluded"
    )
    assert answered.state is ComplaintState.ANSWERED
    with pytest.raises(ComplaintRefused, match="while it is answered"):
        api.answer_complaint(scanned.ws, cid, DEVELOPER, AnswerKind.ACCEPT, remedy=Remedy.REMOVE)
    done = api.resolve_complaint(scanned.ws, cid, ADA, Outcome.SETTLED)
    assert done.state is ComplaintState.RESOLVED
    with pytest.raises(ComplaintRefused, match="is resolved"):
        api.answer_complaint(scanned.ws, cid, DEVELOPER, AnswerKind.ACCEPT, remedy=Remedy.REMOVE)
    assert scanned.log_types()[before:] == ["complaint.answered", "complaint.resolved"]
    stored = api.show_complaint(scanned.ws, cid).complaint
    assert stored == done and stored.answer is not None and stored.answer.note == "excluded"


def test_paying_or_licensing_the_past_is_recorded_exactly(scanned: Scanned) -> None:
    cid = scanned.file().complaint.id
    with pytest.raises(NotFound, match="lic_none"):
        api.answer_complaint(
            scanned.ws,
            cid,
            DEVELOPER,
            AnswerKind.ACCEPT,
            remedy=Remedy.LICENSE,
            licence_id="lic_none",
        )
    paid = api.answer_complaint(
        scanned.ws,
        cid,
        DEVELOPER,
        AnswerKind.ACCEPT,
        remedy=Remedy.PAY,
        amount=Decimal("1234.57"),
        currency="GBP",
    )
    stored = api.show_complaint(scanned.ws, cid).complaint
    assert stored.answer is not None and stored.answer.amount == Decimal("1234.57")
    assert stored == paid
    assert _last_entry(scanned)["amount"] == "1234.57"


def test_overdue_escalation_then_an_administrator_decides(
    scanned: Scanned, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = scanned.file(answer_within_days=7).complaint.id
    with pytest.raises(ComplaintRefused, match="once its answer period ends"):
        api.escalate_complaint(scanned.ws, cid, ADA)
    filed_at = api.show_complaint(scanned.ws, cid).complaint.filed_at
    _clock(monkeypatch, filed_at + timedelta(days=8))
    escalated = api.escalate_complaint(scanned.ws, cid, ADA, note="no answer")
    assert escalated.escalation is not None and escalated.escalation.overdue
    with pytest.raises(ComplaintRefused, match="neither the complainant"):
        api.resolve_complaint(scanned.ws, cid, CLEO, Outcome.UPHELD, remedy=Remedy.PAY)
    monkeypatch.setenv(api.ADMINISTRATORS_ENV, f" {CLEO} , ")
    with pytest.raises(ComplaintRefused, match="cannot resolve"):
        api.resolve_complaint(scanned.ws, cid, DEVELOPER, Outcome.DISMISSED)
    with pytest.raises(NotFound, match="p_ghost"):
        api.resolve_complaint(scanned.ws, cid, CLEO, Outcome.DISMISSED, administrators=["p_ghost"])
    upheld = api.resolve_complaint(scanned.ws, cid, CLEO, Outcome.UPHELD, remedy=Remedy.REMOVE)
    assert upheld.resolution is not None and upheld.resolution.actor.value == "administrator"
    assert scanned.log_types()[-2:] == ["complaint.escalated", "complaint.resolved"]


def test_two_answers_at_once_one_wins(scanned: Scanned) -> None:
    cid = scanned.file().complaint.id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(remedy: Remedy) -> None:
        barrier.wait()
        try:
            api.answer_complaint(scanned.ws, cid, DEVELOPER, AnswerKind.ACCEPT, remedy=remedy)
            outcomes.append("ok")
        except (ConflictError, ComplaintRefused) as exc:
            outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=answer, args=(r,)) for r in (Remedy.REMOVE, Remedy.LICENSE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes)[-1] == "ok" and outcomes.count("ok") == 1
    assert scanned.log_types().count("complaint.answered") == 1
    assert api.show_complaint(scanned.ws, cid).complaint.version == 1


def test_list_filters_by_party_work_and_state(scanned: Scanned) -> None:
    first = scanned.file().complaint.id
    second = scanned.file("ruth", by=LANTERN).complaint.id
    api.resolve_complaint(scanned.ws, second, LANTERN, Outcome.WITHDRAWN)
    ids = [c.id for c, _ in api.list_complaints(scanned.ws)]
    assert ids == [first, second]
    assert [c.id for c, _ in api.list_complaints(scanned.ws, party_ref=LANTERN)] == [second]
    assert [c.id for c, _ in api.list_complaints(scanned.ws, party_ref=DEVELOPER)] == ids
    assert [c.id for c, _ in api.list_complaints(scanned.ws, work_id="genesis")] == [first]
    listed = api.list_complaints(scanned.ws, state=ComplaintState.RESOLVED)
    assert [(c.id, v) for c, v in listed] == [(second, Verdict.LICENSED_USE)]


def test_the_cli_files_answers_and_resolves(scanned: Scanned) -> None:
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(app, ["--db", scanned.ws.url, "complaints", *args])
        exc = result.exception
        got = exc.exit_code if isinstance(exc, ConsentryError) else result.exit_code  # as main()
        assert got == code, f"{result.output}{exc!r}"
        return result.output if exc is None or (got == 2 and not str(exc)) else str(exc)

    filed = json.loads(
        run(
            "file",
            "--by", "Ada Quill",
            "--developer", DEVELOPER,
            "--work", "genesis",
            "--dataset", scanned.dataset,
            "--manifest", str(scanned.manifest),
            "--answer-within", "10",
            "--json",
        )
    )  # fmt: skip
    cid = filed["id"]
    assert filed["check"]["verdict"] == "excluded" and filed["state"] == "open"
    assert filed["check"]["rows"][0]["item_id"] == "web/genesis-page.html"
    assert "excluded" in run("show", cid) and "web/genesis-page.html" in run("show", cid)
    assert "not a creator or rightsholder" in run(
        "file", "--by", CLEO, "-d", DEVELOPER, "-w", "genesis", "--dataset", scanned.dataset, code=2
    )
    run("answer", cid, "--by", DEVELOPER, code=2)  # neither --accept nor --reject
    run("answer", cid, "--by", ADA, "--reject", "not_used", code=2)
    run("answer", cid, "--by", DEVELOPER, "--accept", "pay", "--amount", "x1", code=2)
    assert "answered" in run(
        "answer",
        cid,
        "--by",
        DEVELOPER,
        "--accept",
        "pay",
        "--amount",
        "99.90",
        "--currency",
        "GBP",
    )
    run("resolve", cid, "--by", DEVELOPER, "--outcome", "settled", code=2)
    assert "resolved" in run("resolve", cid, "--by", ADA, "--outcome", "settled")
    run("escalate", cid, "--by", ADA, code=2)
    [listed] = json.loads(run("list", "--party", ADA, "--json"))
    assert listed["state"] == "resolved" and listed["answer"]["amount"] == "99.90"
    assert listed["resolution"]["remedy"] == "pay"
    assert json.loads(run("list", "--state", "open", "--json")) == []
    assert cid in run("list")
    run("show", "cmp_missing", code=3)
