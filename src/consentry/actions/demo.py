"""``consentry demo``: the main job, from nothing, on the embedded default.

It builds a fresh SQLite registry under ``./consentry-demo/`` from the sample
works shipped in the package (public-domain and CC0; see
``samples/SOURCES.md``), with illustrative creators, a publisher, a picture
library and a developer, and a mix of consent: licensed, withheld, unassured
and unlicensed. Each step is a function over the same :class:`DemoContext`,
so later capabilities (scan, requests, reports, removal) add steps.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from consentry.actions.consent import ConsentReport, consent_report, set_consent
from consentry.actions.licences import grant_licence
from consentry.actions.parties import add_party
from consentry.actions.scan import scan
from consentry.actions.works import import_works
from consentry.actions.workspace import Workspace, init
from consentry.domain import ConsentState, PartyKind, Use
from consentry.errors import InvalidInput
from consentry.scan import ScanSummary

DEVELOPER = "p_northwind"


@dataclass
class DemoContext:
    """Where the demo writes, the open registry, and what each step produced."""

    root: Path
    ws: Workspace
    paths: dict[str, Path] = field(default_factory=dict)
    reports: list[ConsentReport] = field(default_factory=list)
    scan: ScanSummary | None = None


DemoStep = Callable[[DemoContext], None]

_PARTIES = (
    ("p_ada", "Ada Quill", PartyKind.CREATOR),
    ("p_ben", "Ben Marlow", PartyKind.CREATOR),
    ("p_cleo", "Cleo Ink", PartyKind.CREATOR),
    ("p_dara", "Dara Lens", PartyKind.CREATOR),
    ("p_eli", "Eli Frame", PartyKind.CREATOR),
    ("p_lantern", "Lantern Press", PartyKind.RIGHTSHOLDER),
    ("p_opensky", "Open Sky Pictures", PartyKind.RIGHTSHOLDER),
    (DEVELOPER, "Northwind AI", PartyKind.DEVELOPER),
)


def _creator(pid: str, role: str = "author", **extra: object) -> dict[str, object]:
    name = next(n for i, n, _ in _PARTIES if i == pid)
    return {"id": pid, "name": name, "role": role, **extra}


def _holder(pid: str) -> dict[str, object]:
    return {"id": pid, "name": next(n for i, n, _ in _PARTIES if i == pid)}


_WORKS: tuple[dict[str, object], ...] = (
    {
        "id": "ruth",
        "title": "The Book of Ruth",
        "kind": "text",
        "file": "texts/ruth.txt",
        "creators": [_creator("p_ada")],
        "rightsholders": [_holder("p_lantern")],
    },
    {
        "id": "jonah",
        "title": "The Book of Jonah",
        "kind": "text",
        "file": "texts/jonah.txt",
        "creators": [_creator("p_cleo", consent={"genai_training": "withheld"})],
        "rightsholders": [_holder("p_lantern")],
    },
    {
        "id": "ecclesiastes",
        "title": "Ecclesiastes 1-3",
        "kind": "text",
        "file": "texts/ecclesiastes-1-3.txt",
        "creators": [_creator("p_ada", share="0.7"), _creator("p_ben", "translator", share="0.3")],
        "rightsholders": [_holder("p_lantern")],
    },
    {
        "id": "proverbs",
        "title": "Proverbs 1-3",
        "kind": "text",
        "file": "texts/proverbs-1-3.txt",
        "creators": [_creator("p_cleo")],
    },
    {
        "id": "psalms",
        "title": "Psalms 1-8",
        "kind": "text",
        "file": "texts/psalms-1-8.txt",
        "creators": [_creator("p_ben")],
        "consent": {"ai_training": "granted"},
    },
    {
        "id": "genesis",
        "title": "Genesis 1-2",
        "kind": "text",
        "file": "texts/genesis-1-2.txt",
        "creators": [_creator("p_ada")],
        "rightsholders": [_holder("p_lantern")],
        "identifiers": {"isbn": "978-0-306-40615-7"},
    },
    {
        "id": "astronaut",
        "title": "Astronaut portrait",
        "kind": "image",
        "file": "images/astronaut.jpg",
        "creators": [_creator("p_dara", "photographer")],
        "rightsholders": [_holder("p_opensky")],
    },
    {
        "id": "rocket",
        "title": "Launch",
        "kind": "image",
        "file": "images/rocket.jpg",
        "creators": [_creator("p_eli", "photographer")],
        "consent": {"data_mining": "withheld"},
    },
    {
        "id": "coffee",
        "title": "Coffee",
        "kind": "image",
        "file": "images/coffee.jpg",
        "creators": [_creator("p_dara", "photographer")],
    },
    {
        "id": "chelsea",
        "title": "Chelsea the cat",
        "kind": "image",
        "file": "images/chelsea.jpg",
        "creators": [_creator("p_eli", "photographer", consent={"ai_training": "granted"})],
        "rightsholders": [_holder("p_opensky")],
    },
)


def prepare(ctx: DemoContext) -> None:
    """Copy the sample works beside a works.jsonl that registers them."""
    samples = resources.files("consentry") / "samples"
    for folder in ("texts", "images"):
        target = ctx.root / "works" / folder
        target.mkdir(parents=True, exist_ok=True)
        for entry in (samples / folder).iterdir():
            (target / entry.name).write_bytes(entry.read_bytes())
    (ctx.root / "works" / "SOURCES.md").write_bytes((samples / "SOURCES.md").read_bytes())
    listing = ctx.root / "works" / "works.jsonl"
    listing.write_text("".join(json.dumps(w) + "\n" for w in _WORKS), encoding="utf-8")
    ctx.paths["works"] = listing


def register(ctx: DemoContext) -> None:
    """Register the parties, then import the works with their consent."""
    for pid, name, kind in _PARTIES:
        add_party(ctx.ws, name, kind, party_id=pid)
    import_works(ctx.ws, ctx.paths["works"], recorded_by="p_lantern")


def consent_and_licences(ctx: DemoContext) -> None:
    """Mixed answers: Genesis withheld by its author; licences to Northwind AI."""
    set_consent(
        ctx.ws,
        "genesis",
        "p_ada",
        Use.DATA_MINING,
        ConsentState.WITHHELD,
        evidence="demo: the author opts out of all mining",
    )
    set_consent(ctx.ws, "ecclesiastes", "p_ada", Use.AI_TRAINING, ConsentState.GRANTED)
    every = ["ruth", "jonah", "ecclesiastes", "astronaut", "genesis"]
    grant_licence(
        ctx.ws,
        DEVELOPER,
        every,
        [Use.AI_TRAINING],
        granted_by=["p_ada", "p_cleo", "p_lantern", "p_dara", "p_opensky"],
    )
    grant_licence(ctx.ws, DEVELOPER, ["chelsea"], [Use.AI_TRAINING], granted_by=["p_opensky"])


def report(ctx: DemoContext) -> None:
    """Decide every work for Northwind AI's training and save the result as JSON."""
    ids = [str(w["id"]) for w in _WORKS]
    ctx.reports = [consent_report(ctx.ws, wid, developer_ref=DEVELOPER) for wid in ids]
    out = ctx.root / "consent.json"
    rows = [
        {
            "work_id": r.work.id,
            "title": r.work.title,
            "decision": "include" if r.decision.include else "exclude",
            "reason": r.decision.code,
            "explanation": r.decision.explain(),
        }
        for r in ctx.reports
    ]
    out.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    ctx.paths["consent"] = out


def scan_corpus(ctx: DemoContext) -> None:
    """Scan the sample corpus for Northwind AI: copies, excerpts, unrelated and broken items."""
    corpus = ctx.root / "corpus"
    _copy_tree(resources.files("consentry") / "samples" / "corpus", corpus)
    out = ctx.root / "scan"
    ctx.scan = scan(ctx.ws, corpus, out, developer_ref=DEVELOPER, workers=1)
    ctx.paths["corpus"] = corpus
    ctx.paths["manifest"] = out / "manifest.jsonl"
    ctx.paths["cleared"] = out / "cleared"


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for entry in source.iterdir():
        if entry.is_dir():
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def _later_steps() -> tuple[DemoStep, ...]:
    """The steps of later capabilities, each in its own module (imported here: they import us)."""
    from consentry.actions.demo_complaints import complaint
    from consentry.actions.demo_ledger import use_pay_credit
    from consentry.actions.demo_portal import portal_accounts
    from consentry.actions.demo_removal import remove_and_certify
    from consentry.actions.demo_report import model_report
    from consentry.actions.demo_requests import request_excluded

    return (
        request_excluded,
        complaint,
        use_pay_credit,
        remove_and_certify,
        model_report,
        portal_accounts,
    )


BASE_STEPS: Sequence[DemoStep] = (prepare, register, consent_and_licences, report, scan_corpus)


MARKER = ".consentry-demo"


def _clear(root: Path) -> None:
    """Empty a previous demo's folder; refuse to touch a folder the demo did not make."""
    if root.exists() and any(root.iterdir()):
        if not (root / MARKER).exists():
            raise InvalidInput(
                f"{root} exists and was not made by `consentry demo`; nothing was changed",
                hint="choose another folder with --dir, or remove this one yourself",
            )
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("made by consentry demo; removed by the next run\n")


def run_demo(root: Path, steps: Sequence[DemoStep] | None = None) -> DemoContext:
    """Run the demo from nothing into ``root`` (its previous contents are replaced).

    ``steps`` defaults to every step: the registry and scan, then requests,
    a complaint, usage and money, a removal, the model report and portal accounts.
    """
    steps = (*BASE_STEPS, *_later_steps()) if steps is None else steps
    _clear(root)
    database = root / "registry.db"
    ws = init(f"sqlite:///{database}")
    ctx = DemoContext(root=root, ws=ws, paths={"registry": database})
    try:
        for step in steps:
            step(ctx)
    finally:
        ws.close()
    return ctx
