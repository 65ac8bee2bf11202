"""``consentry requests``: ask in advance, answer, counter, accept, withdraw; ODRL; the outbox."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from consentry.actions import answers, offers, requests, withdrawal_removal, withdrawals
from consentry.cli import requests_odrl
from consentry.cli.common import as_utc, console, print_json, workspace
from consentry.cli.requests_odrl import print_created, print_result
from consentry.domain import Use
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_json
from consentry.licensing.terms import terms_from_dict, terms_to_dict
from consentry.licensing.types import AnswerKind, Terms, WorkStatus

app = typer.Typer(
    help="Requests for works: every creator and rightsholder answers.", no_args_is_help=True
)

Uses = Annotated[list[Use], typer.Option("--use", "-u", help="A use (repeat).")]
Models = Annotated[list[str] | None, typer.Option("--model", help="A model (repeat); default any.")]
Purpose = Annotated[str, typer.Option(help="What the works are for, in words.")]
Starts = Annotated[datetime | None, typer.Option(help="Start of the term (UTC); default now.")]
Ends = Annotated[datetime | None, typer.Option(help="End of the term (UTC); default open.")]
Territories = Annotated[
    list[str] | None, typer.Option("--territory", help="A territory (repeat); default world.")
]
Fees = Annotated[str | None, typer.Option("--fee-terms", help="Offered fee terms as JSON.")]
Attribution = Annotated[str | None, typer.Option(help="How creators are to be credited.")]
AnswerBy = Annotated[datetime | None, typer.Option(help="Answers are taken until then (UTC).")]
Works = Annotated[list[str] | None, typer.Option("--work", "-w", help="A work id (repeat).")]


def _terms(
    uses: list[Use],
    models: list[str] | None,
    purpose: str,
    starts: datetime | None,
    ends: datetime | None,
    territories: list[str] | None,
    fee_terms: str | None,
    attribution: str | None,
    now: datetime,
) -> Terms:
    return Terms(
        uses=frozenset(uses),
        starts_at=as_utc(starts) or now,
        ends_at=as_utc(ends),
        models=frozenset(models or ()),
        territories=frozenset(territories or ()),
        purpose=purpose,
        fee_terms=fee_terms_from_json(fee_terms) if fee_terms else None,
        attribution=attribution,
    )


@app.command("create")
def create(
    ctx: typer.Context,
    developer: Annotated[str, typer.Option("--developer", "-d", help="The developer asking.")],
    uses: Uses,
    purpose: Purpose = "",
    works: Works = None,
    catalogue: Annotated[
        str | None, typer.Option(help="Every work of this rightsholder's catalogue.")
    ] = None,
    from_scan: Annotated[
        Path | None, typer.Option(help="A scan's --out folder: the works it excluded.")
    ] = None,
    models: Models = None,
    starts: Starts = None,
    ends: Ends = None,
    territories: Territories = None,
    fee_terms: Fees = None,
    attribution: Attribution = None,
    answer_by: AnswerBy = None,
) -> None:
    """Ask every creator and rightsholder of the works, in advance and in detail."""
    with workspace(ctx) as ws:
        terms = _terms(
            uses, models, purpose, starts, ends, territories, fee_terms, attribution, ws.now()
        )
        made = requests.create_request(
            ws,
            developer,
            terms,
            work_ids=works or (),
            catalogue_of=catalogue,
            from_scan=from_scan,
            answer_by=as_utc(answer_by),
        )
    print_created(made)


@app.command("offer")
def offer(
    ctx: typer.Context,
    rightsholder: Annotated[str, typer.Option("--rightsholder", "-r", help="Who offers.")],
    developer: Annotated[str, typer.Option("--developer", "-d", help="To whom.")],
    uses: Uses,
    purpose: Purpose = "",
    works: Works = None,
    models: Models = None,
    starts: Starts = None,
    ends: Ends = None,
    territories: Territories = None,
    fee_terms: Fees = None,
    attribution: Attribution = None,
    answer_by: AnswerBy = None,
) -> None:
    """A rightsholder offers its catalogue; each work needs its creators' consent."""
    with workspace(ctx) as ws:
        terms = _terms(
            uses, models, purpose, starts, ends, territories, fee_terms, attribution, ws.now()
        )
        made = offers.offer_catalogue(
            ws, rightsholder, developer, terms, work_ids=works or (), answer_by=as_utc(answer_by)
        )
    print_created(made)


@app.command("list")
def list_(
    ctx: typer.Context,
    developer: Annotated[str | None, typer.Option("--developer", "-d")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List requests and offers."""
    with workspace(ctx) as ws:
        found = requests.list_requests(ws, developer_ref=developer)
        now = ws.now()
    rows = [
        {
            "id": r.id,
            "origin": r.origin.value,
            "developer_id": r.developer_id,
            "works": len(r.work_ids),
            "uses": sorted(r.terms.uses),
            "status": r.status(now).value,
            "created_at": r.created_at.isoformat(),
        }
        for r in found
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "origin", "developer", "works", "uses", "status")
    for row in rows:
        table.add_row(
            str(row["id"]),
            str(row["origin"]),
            str(row["developer_id"]),
            str(row["works"]),
            ", ".join(row["uses"]),  # type: ignore[arg-type]
            str(row["status"]),
        )
    console.print(table)


def _work_rows(status: WorkStatus) -> list[dict[str, Any]]:
    return [
        {
            "work_id": status.work_id,
            "work_state": status.state.value,
            "terms": status.terms_id,
            "licence_id": status.licence_id,
            "party_id": p.party_id,
            "group": p.group.value,
            "state": p.state.value,
            "withheld": p.withheld,
            "answered_by": p.answer.answered_by if p.answer else None,
            "authority": p.answer.authority.value if p.answer else None,
            "mandate_id": p.answer.mandate_id if p.answer else None,
            "answered_at": p.answer.answered_at.isoformat() if p.answer else None,
            "counter_id": p.counter.id if p.counter else None,
        }
        for p in status.parties
    ]


@app.command("show")
def show(
    ctx: typer.Context,
    request: Annotated[str, typer.Argument()],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each work's and each party's state: who answered, on what authority, and when."""
    with workspace(ctx) as ws:
        view = requests.show_request(ws, request)
    rows = [row for status in view.works for row in _work_rows(status)]
    if as_json:
        print_json(
            {
                "id": view.request.id,
                "status": view.status.value,
                "developer_id": view.request.developer_id,
                "terms": terms_to_dict(view.request.terms),
                "parties": rows,
                "counters": [
                    {"id": c.id, "work_id": c.work_id, "party_id": c.party_id, "state": c.state}
                    for c in view.counters
                ],
            }
        )
        return
    console.print(f"[cyan]{view.request.id}[/] {view.request.origin} · {view.status}")
    table = Table("work", "state", "party", "answer", "by", "authority", "licence")
    for row in rows:
        table.add_row(
            row["work_id"],
            row["work_state"],
            f"{row['party_id']} ({row['group']})",
            row["state"] + (" · withheld" if row["withheld"] else ""),
            row["answered_by"] or "",
            (row["authority"] or "") + (f" {row['mandate_id']}" if row["mandate_id"] else ""),
            row["licence_id"] or "",
        )
    console.print(table)


@app.command("answer")
def answer(
    ctx: typer.Context,
    request: Annotated[str, typer.Argument()],
    party: Annotated[str, typer.Option("--party", "-p", help="The party whose answer this is.")],
    grant: Annotated[bool, typer.Option("--grant", help="Grant the terms.")] = False,
    refuse: Annotated[bool, typer.Option("--refuse", help="Refuse.")] = False,
    counter: Annotated[
        Path | None, typer.Option("--counter", help="Counter with the terms in this JSON file.")
    ] = None,
    works: Works = None,
    reason: Annotated[str | None, typer.Option(help="Why (kept private, not logged).")] = None,
    as_agent: Annotated[str | None, typer.Option("--as", help="An agent answering.")] = None,
    mandate: Annotated[str | None, typer.Option(help="The agent's mandate.")] = None,
) -> None:
    """Grant, refuse or counter, for the party's works of a request (all unless --work)."""
    if grant + refuse + (counter is not None) != 1:
        raise InvalidInput("give exactly one of --grant, --refuse, --counter FILE")
    kind = AnswerKind.GRANT if grant else AnswerKind.REFUSE if refuse else AnswerKind.COUNTER
    terms = terms_from_dict(json.loads(counter.read_text(encoding="utf-8"))) if counter else None
    with workspace(ctx) as ws:
        result = answers.answer_request(
            ws,
            request,
            party,
            kind,
            work_ids=works or (),
            answered_by=as_agent,
            mandate_id=mandate,
            reason=reason,
            counter_terms=terms,
        )
    print_result(result)


@app.command("accept")
def accept(
    ctx: typer.Context,
    request: Annotated[str, typer.Argument()],
    counter: Annotated[str | None, typer.Option("--counter", help="The counter to settle.")] = None,
    refuse: Annotated[bool, typer.Option("--refuse", help="Refuse it instead.")] = False,
) -> None:
    """The developer accepts (or refuses) a counter, or a catalogue offer."""
    with workspace(ctx) as ws:
        result = answers.accept(ws, request, counter_id=counter, refuse=refuse)
    print_result(result)


@app.command("withdraw")
def withdraw(ctx: typer.Context, request: Annotated[str, typer.Argument()]) -> None:
    """Withdraw a request: it takes no more answers (licences in force stay)."""
    with workspace(ctx) as ws:
        done = requests.withdraw_request(ws, request)
    console.print(f"withdrew {done.id} at {done.withdrawn_at}")


@app.command("assure")
def assure(
    ctx: typer.Context, request: Annotated[str, typer.Argument()], works: Works = None
) -> None:
    """Ask the creators whose assurance a catalogue's works lack."""
    with workspace(ctx) as ws:
        asked = answers.request_assurance(ws, request, works or ())
    for work, creators in asked.items():
        console.print(f"{work}: asked {', '.join(creators)}")
    if not asked:
        console.print("every creator's assurance is in")


@app.command("preferences")
def preferences(
    ctx: typer.Context,
    party: Annotated[str, typer.Option("--party", "-p")],
    ask_again_days: Annotated[
        int | None, typer.Option(help="Days after a refusal before asking again; default never.")
    ] = None,
    ask_when_withheld: Annotated[
        bool, typer.Option(help="Be asked in bulk requests even where consent is withheld.")
    ] = False,
) -> None:
    """A party's choices about being asked again."""
    with workspace(ctx) as ws:
        pref = requests.set_preference(
            ws, party, ask_again_days=ask_again_days, ask_when_withheld=ask_when_withheld
        )
    again = "never" if pref.ask_again_days is None else f"after {pref.ask_again_days} days"
    console.print(
        f"{pref.party_id}: ask again {again}; ask when withheld: {pref.ask_when_withheld}"
    )


@app.command("withdraw-consent")
def withdraw_consent(
    ctx: typer.Context,
    work: Annotated[str, typer.Argument()],
    party: Annotated[str, typer.Option("--party", "-p")],
    uses: Uses,
    effective: Annotated[datetime | None, typer.Option("--from", help="Effective (UTC).")] = None,
    remove: Annotated[
        bool, typer.Option("--remove", help="Then remove the work from the versions affected.")
    ] = False,
    scans: Annotated[
        list[Path] | None,
        typer.Option("--scan", help="With --remove: a scan's --out folder (repeat)."),
    ] = None,
) -> None:
    """Withdraw consent for future uses; lists the dataset versions and models affected.

    With --remove, the work is then taken out of each affected dataset version
    (docs/requests.md: the removal flow); versions whose outputs folder is not
    known are listed with what to do.
    """
    with workspace(ctx) as ws:
        done = withdrawals.withdraw_consent(ws, work, party, uses, effective_at=as_utc(effective))
        handed = None
        if remove:
            handed = withdrawal_removal.remove_withdrawn(ws, done, scans=scans or ())
    console.print(f"withdrawn from {done.effective_at.isoformat()}")
    for dataset in done.datasets:
        console.print(f"  dataset version {dataset.id} ({dataset.corpus})")
    for model in done.models:
        console.print(f"  model {model.name} {model.version} ({model.id})")
    if handed is not None:
        _print_removals(handed)


def _print_removals(handed: withdrawal_removal.WithdrawalRemovals) -> None:
    out = console.print
    for r in handed.removed:
        out(
            f"removed from {r.removal.dataset_version_id}: new version "
            f"{r.removal.new_dataset_version_id}, {len(r.items)} item(s); "
            f"certificate {r.certificate}",
            markup=False,
            highlight=False,
        )
    for old, new in handed.superseded:
        out(f"{old}: superseded by {new} (removed there)", highlight=False)
    for dataset, removal in handed.already:
        out(f"{dataset}: already without the work (removal {removal})", highlight=False)
    for p in handed.pending:
        out(f"[yellow]not removed from {p.dataset_id}:[/] {escape(p.why)}", highlight=False)
        out(f"  hint: {p.hint}", markup=False, highlight=False)


app.command("export")(requests_odrl.export)
app.command("import")(requests_odrl.import_)
app.command("outbox")(requests_odrl.outbox)
