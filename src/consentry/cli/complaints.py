"""``consentry complaints``: file, list, show, answer, escalate and resolve complaints."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Column, Table

from consentry.actions import complaint_remedies as remedies
from consentry.actions import complaints as actions
from consentry.cli.common import console, print_json, workspace
from consentry.errors import InvalidInput
from consentry.ledger.money import format_amount
from consentry.licensing.complaints import (
    AnswerKind,
    Complaint,
    ComplaintState,
    Outcome,
    RejectReason,
    Remedy,
)
from consentry.licensing.complaints_check import ComplaintRecord
from consentry.licensing.complaints_json import complaint_as_dict, record_as_dict
from consentry.licensing.remedies import RemedyDone

app = typer.Typer(help="Complaints: my work is in your dataset or model.", no_args_is_help=True)

By = Annotated[str, typer.Option("--by", "-b", help="The party acting (id, ISNI, IPI or name).")]
Note = Annotated[str | None, typer.Option(help="Free text (kept in the registry, never logged).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Licence = Annotated[str | None, typer.Option(help="With remedy license: the licence.")]
Amount = Annotated[str | None, typer.Option(help="With remedy pay: the amount.")]
Currency = Annotated[str | None, typer.Option(help="With remedy pay: e.g. GBP.")]
Source = Annotated[
    Path | None,
    typer.Option(
        "--from", help="With remedy remove: the version's outputs folder (default: recorded)."
    ),
]
Dataset = Annotated[str | None, typer.Option(help="With remedy remove: which dataset version.")]
Out = Annotated[Path | None, typer.Option(help="With remedy remove: where the new version goes.")]


@app.command("file")
def file(
    ctx: typer.Context,
    by: By,
    developer: Annotated[str, typer.Option("--developer", "-d", help="The developer.")],
    work: Annotated[str, typer.Option("--work", "-w", help="The registered work.")],
    dataset: Annotated[str | None, typer.Option(help="A dataset version id.")] = None,
    model: Annotated[str | None, typer.Option(help="A model name (with --model-version).")] = None,
    model_version: Annotated[str | None, typer.Option(help="The model's version.")] = None,
    answer_within: Annotated[int, typer.Option(help="Days the developer has to answer.")] = 30,
    statement: Annotated[str | None, typer.Option(help="What you found, in your words.")] = None,
    files: Annotated[
        list[Path] | None, typer.Option("--file", help="A file holding the work (repeat).")
    ] = None,
    outputs: Annotated[
        list[Path] | None, typer.Option("--output", help="A model output, as a file (repeat).")
    ] = None,
    items: Annotated[
        list[str] | None, typer.Option("--item", help="A manifest item id (repeat).")
    ] = None,
    manifests: Annotated[
        list[Path] | None,
        typer.Option("--manifest", help="The scan's manifest.jsonl or output folder (repeat)."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """File a complaint: my work is in your dataset version or model; it is checked at once."""
    if (model is None) != (model_version is None):
        raise InvalidInput("--model and --model-version go together")
    subject = actions.Subject(dataset, (model, model_version) if model and model_version else None)
    with workspace(ctx) as ws:
        filed = actions.file_complaint(
            ws,
            by,
            developer,
            work,
            subject,
            answer_within_days=answer_within,
            statement=statement,
            files=files or (),
            outputs=outputs or (),
            items=items or (),
            manifests=manifests or (),
        )
        now = ws.now()
    if as_json:
        print_json(record_as_dict(filed, now))
        return
    console.print(
        f"filed complaint [cyan]{filed.complaint.id}[/]; the developer must answer by "
        f"{filed.complaint.answer_by.date().isoformat()}"
    )
    _print_check(filed)


@app.command("list")
def list_(
    ctx: typer.Context,
    party: Annotated[str | None, typer.Option(help="Complaints by or against this party.")] = None,
    work: Annotated[str | None, typer.Option("--work", "-w")] = None,
    state: Annotated[ComplaintState | None, typer.Option()] = None,
    as_json: AsJson = False,
) -> None:
    """List complaints, oldest first."""
    with workspace(ctx) as ws:
        found = actions.list_complaints(ws, party_ref=party, work_id=work, state=state)
        now = ws.now()
    if as_json:
        print_json([complaint_as_dict(c, v, now) for c, v in found])
        return
    identity = Column("id", no_wrap=True, min_width=20)
    table = Table(identity, "state", "complainant", "developer", "work", "check", "answer by")
    for c, verdict in found:
        due = c.answer_by.date().isoformat() + (" [red]overdue[/]" if c.overdue(now) else "")
        table.add_row(c.id, c.state, c.complainant_id, c.developer_id, c.work_id, verdict, due)
    console.print(table)


@app.command("show")
def show(
    ctx: typer.Context, complaint: Annotated[str, typer.Argument()], as_json: AsJson = False
) -> None:
    """One complaint: its moves, its evidence and the check made when it was filed."""
    with workspace(ctx) as ws:
        found = actions.show_complaint(ws, complaint)
        done_remedies = remedies.remedies_of(ws, complaint)
        now = ws.now()
    if as_json:
        print_json(record_as_dict(found, now))
        return
    data = record_as_dict(found, now)
    for key in (
        "id",
        "state",
        "complainant_id",
        "developer_id",
        "work_id",
        "dataset_version_id",
        "model_version_id",
        "filed_at",
        "answer_by",
        "overdue",
    ):
        console.print(f"{key:>18}  {data[key]}", highlight=False)
    for move in ("answer", "escalation", "resolution"):
        if data[move]:
            shown = ", ".join(f"{k}={v}" for k, v in data[move].items() if v is not None)
            console.print(f"{move:>18}  {shown}", markup=False, highlight=False)
    for done in done_remedies:
        console.print(f"{'carried out':>18}  {_remedy_line(done)}", markup=False, highlight=False)
    _print_check(found)


def _remedy_line(done: RemedyDone) -> str:
    if done.removal_id is not None:
        return f"{done.step}: remove, removal {done.removal_id} from {done.dataset_version_id}"
    if done.licence_id is not None:
        return f"{done.step}: license, licence {done.licence_id}"
    amount = format_amount(done.amount_minor or 0, done.currency or "XXX")
    return f"{done.step}: pay, {amount} {done.currency} settled to {len(done.parts)} part(ies)"


def _print_check(record: ComplaintRecord) -> None:
    check = record.check
    console.print(f"check: [bold]{check.verdict}[/]")
    for row in check.rows:
        used = f" used by {', '.join(row.used_by)}" if row.used_by else ""
        console.print(
            f"  {row.dataset_version_id} row {row.row}: {row.item_id} {row.decision} "
            f"({', '.join(row.reasons)}) -> {row.use}{used}",
            markup=False,
            highlight=False,
        )
    for t in check.trainings:
        console.print(f"  trained: {t.model_version_id} on {t.dataset_version_id} ({t.used})")
    for dataset in check.unchecked:
        console.print(f"  [yellow]{dataset}: manifest not given, rows not checked[/]")


@app.command("answer")
def answer(
    ctx: typer.Context,
    complaint: Annotated[str, typer.Argument()],
    by: By,
    accept: Annotated[Remedy | None, typer.Option(help="Accept, with this remedy.")] = None,
    reject: Annotated[RejectReason | None, typer.Option(help="Reject, for this reason.")] = None,
    licence: Licence = None,
    amount: Amount = None,
    currency: Currency = None,
    source: Source = None,
    dataset: Dataset = None,
    out: Out = None,
    note: Note = None,
) -> None:
    """The developer answers: --accept remove|license|pay (carried out at once), or --reject."""
    if (accept is None) == (reject is None):
        raise InvalidInput("answer with exactly one of --accept REMEDY or --reject REASON")
    kind = AnswerKind.ACCEPT if accept else AnswerKind.REJECT
    args = remedies.RemedyArgs(licence, _decimal(amount), currency, dataset, source, out)
    with workspace(ctx) as ws:
        done = remedies.answer_and_carry_out(
            ws, complaint, by, kind, remedy=accept, reason=reject, args=args, note=note
        )
    _moved(done.complaint)
    _print_done(done)


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput(f"{text!r} is not a decimal amount") from exc


@app.command("escalate")
def escalate(
    ctx: typer.Context, complaint: Annotated[str, typer.Argument()], by: By, note: Note = None
) -> None:
    """Take a complaint to an administrator (after the answer period, or to dispute an answer)."""
    with workspace(ctx) as ws:
        _moved(actions.escalate_complaint(ws, complaint, by, note=note))


@app.command("resolve")
def resolve(
    ctx: typer.Context,
    complaint: Annotated[str, typer.Argument()],
    by: By,
    outcome: Annotated[Outcome, typer.Option(help="settled, withdrawn, upheld or dismissed.")],
    remedy: Annotated[Remedy | None, typer.Option(help="With upheld: the remedy.")] = None,
    licence: Licence = None,
    amount: Amount = None,
    currency: Currency = None,
    source: Source = None,
    dataset: Dataset = None,
    out: Out = None,
    note: Note = None,
) -> None:
    """End it: the complainant settles or withdraws; an administrator upholds or dismisses.

    An upheld remedy is carried out at once, as with an accepting answer.
    """
    args = remedies.RemedyArgs(licence, _decimal(amount), currency, dataset, source, out)
    with workspace(ctx) as ws:
        done = remedies.resolve_and_carry_out(
            ws, complaint, by, outcome, remedy=remedy, args=args, note=note
        )
    _moved(done.complaint)
    _print_done(done)


def _print_done(carried: remedies.Carried) -> None:
    done = carried.done
    if done is None:
        return
    if carried.removal is not None:
        r = carried.removal
        console.print(
            f"removed: removal {r.removal.id}, new dataset version "
            f"{r.removal.new_dataset_version_id}, {len(r.items)} item(s); "
            f"certificate {r.certificate}",
            markup=False,
            highlight=False,
        )
    elif done.licence_id is not None:
        console.print(f"licensed: linked licence {done.licence_id}", highlight=False)
    elif done.amount_minor is not None and done.currency is not None:
        parts = ", ".join(f"{p} {format_amount(a, done.currency)}" for p, a in done.parts)
        total = format_amount(done.amount_minor, done.currency)
        console.print(f"settled {total} {done.currency}: {parts}", highlight=False)


def _moved(c: Complaint) -> None:
    console.print(f"complaint [cyan]{c.id}[/] is now [bold]{c.state}[/]")
