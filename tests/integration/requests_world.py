"""A small registry for the request tests: two creators, a publisher, an agent, a developer."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from consentry.actions.workspace import Workspace, init
from consentry.domain import Contribution, Party, PartyKind, Rights, Use, Work, WorkKind
from consentry.licensing.types import Terms
from consentry.store import open_registry

T0 = datetime(2030, 1, 1, tzinfo=UTC)
DEV = "p_dev"
ADA, BEN, PRESS, SOCIETY = "p_ada", "p_ben", "p_press", "p_society"


@dataclass(frozen=True)
class ClockWorkspace(Workspace):
    """A workspace whose clock the test moves (one second per reading, so order is kept)."""

    clock: list[datetime] = field(default_factory=lambda: [T0])

    def now(self) -> datetime:
        self.clock[0] += timedelta(seconds=1)
        return self.clock[0]

    def advance(self, delta: timedelta) -> None:
        self.clock[0] += delta


PARTIES = (
    Party(ADA, "Ada Quill", PartyKind.CREATOR, email="ada@example.org"),
    Party(BEN, "Ben Marlow", PartyKind.CREATOR, email="ben@example.org"),
    Party(PRESS, "Lantern Press", PartyKind.RIGHTSHOLDER, email="rights@lantern.example"),
    Party(SOCIETY, "Writers Society", PartyKind.RIGHTSHOLDER),
    Party(DEV, "Northwind AI", PartyKind.DEVELOPER, email="legal@northwind.example"),
)

WORKS = (
    Work(
        "w_ruth", "Ruth", WorkKind.TEXT, contributions=(Contribution(ADA),), rights=(Rights(PRESS),)
    ),
    Work(
        "w_jonah",
        "Jonah",
        WorkKind.TEXT,
        contributions=(Contribution(BEN),),
        rights=(Rights(PRESS),),
    ),
    Work("w_solo", "Solo", WorkKind.TEXT, contributions=(Contribution(ADA),)),
)


def make_world(database_url: str) -> Iterator[ClockWorkspace]:
    """A fresh registry with :data:`PARTIES` and :data:`WORKS`."""
    base = init(database_url)
    ws = ClockWorkspace(base.url, base.engine)
    with open_registry(ws.engine) as reg:
        reg.add_parties(PARTIES)
        reg.add_works(WORKS)
    yield ws
    ws.close()


def terms(ws: ClockWorkspace, **changes: object) -> Terms:
    """Training terms starting now, for one year, with a flat fee."""
    from consentry.fees import fee_terms_from_dict

    start = ws.clock[0]
    base: dict[str, object] = {
        "uses": frozenset({Use.AI_TRAINING}),
        "starts_at": start,
        "ends_at": start + timedelta(days=365),
        "purpose": "train a summariser",
        "models": frozenset({"summ-1"}),
        "fee_terms": fee_terms_from_dict({"currency": "GBP", "per_work": "100.00"}),
        "attribution": "credit every creator in the model card",
    }
    base.update(changes)
    return Terms(**base)  # type: ignore[arg-type]
