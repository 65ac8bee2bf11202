"""Properties of decide_work over random works, consent histories, mandates and licences.

``oracle`` restates the rules of ``docs/decision-table.md`` as plainly as
possible (brute force, no shared code with ``consentry.registry``); the
properties then check the promises that matter most: withheld wins, include
only under a licence every party consented to, refusals are monotonic, no
licence means no use, and the order of the inputs is irrelevant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from hypothesis import event, given, settings
from hypothesis import strategies as st
from test_registry_builders import DEV, A, G, W, consent, day, licence, mandate, work

from consentry.domain import (
    Consent,
    ConsentState,
    Licence,
    LicenceGrant,
    Mandate,
    Reason,
    SubjectKind,
    Use,
    Work,
)
from consentry.registry import WorkDecision, decide_work, effective_consent

DAYS = st.integers(min_value=0, max_value=20)
USES = st.sampled_from(list(Use))


@dataclass(frozen=True)
class Scenario:
    """One registry snapshot and one question put to it."""

    work: Work
    consents: tuple[Consent, ...]
    licences: tuple[Licence, ...]
    mandates: tuple[Mandate, ...]
    developer: str | None
    use: Use
    at: datetime
    model: str | None
    territory: str | None

    def decide(
        self,
        consents: tuple[Consent, ...] | None = None,
        licences: tuple[Licence, ...] | None = None,
        mandates: tuple[Mandate, ...] | None = None,
    ) -> WorkDecision:
        return decide_work(
            self.work,
            consents=self.consents if consents is None else consents,
            licences=self.licences if licences is None else licences,
            mandates=self.mandates if mandates is None else mandates,
            developer_id=self.developer,
            use=self.use,
            at=self.at,
            model=self.model,
            territory=self.territory,
        )


@st.composite
def mandates_for(draw: st.DrawFn, index: int, creators: tuple[str, ...]) -> Mandate:
    return mandate(
        f"m{index}",
        creators=draw(st.sets(st.sampled_from(creators), min_size=1)),
        uses=draw(st.sets(USES, min_size=1)),
        granted=draw(DAYS),
        revoked=draw(st.none() | DAYS),
    )


@st.composite
def consents_for(
    draw: st.DrawFn, parties: tuple[str, ...], mandate_ids: list[str], asked: Use
) -> Consent:
    near = st.sampled_from(sorted(asked.related()))
    return consent(
        draw(st.sampled_from([*parties, *parties, "p_stranger"])),
        draw(near | near | USES),
        draw(st.sampled_from([G, G, W, A])),
        on=draw(DAYS),
        work_id=draw(st.sampled_from(["w1", "w1", "w1", "w2"])),
        mandate=draw(st.none() | st.none() | st.sampled_from([*mandate_ids, "m_unknown"])),
        expires=draw(st.none() | st.none() | DAYS),
        subject_kind=draw(st.sampled_from([SubjectKind.WORK] * 5 + [SubjectKind.PERSONA])),
    )


_FLAWS = ("works", "uses", "dev", "starts", "ends", "models", "territories", "revoked")


@st.composite
def licences_for(draw: st.DrawFn, index: int, parties: tuple[str, ...], asked: Use) -> Licence:
    """A licence that covers the question, or misses it in one field (or several)."""
    everyone = dict.fromkeys(parties, 0.0)
    some = st.dictionaries(st.sampled_from(parties), DAYS.map(float)) if parties else st.just({})
    fields: dict[str, object] = {
        "works": draw(st.sampled_from([("w1",), ("w1", "w2")])),
        "uses": draw(st.sampled_from([{asked}, {*asked.ancestors(), asked}, set(Use)])),
        "grants": draw(st.just(everyone) | st.just(everyone) | some),
    }
    flaws = draw(st.sampled_from([(), (), (), *((f,) for f in _FLAWS), _FLAWS]))
    wild: dict[str, st.SearchStrategy[object]] = {
        "works": st.sampled_from([("w1",), ("w1", "w2"), ("w2",)]),
        "uses": st.sets(USES, min_size=1),
        "dev": st.sampled_from([DEV, "p_other"]),
        "starts": st.sampled_from([0, 3, 5, 10, 15]),
        "ends": st.sampled_from([None, 3, 5, 10, 15]),
        "models": st.sampled_from([(), ("m1",), ("m2",), ("m1", "m2")]),
        "territories": st.sampled_from([(), ("GB",), ("FR",)]),
        "revoked": st.sampled_from([None, 3, 5, 10, 15]),
    }
    fields.update({flaw: draw(wild[flaw]) for flaw in flaws})
    return licence(f"L{index}", **fields)  # type: ignore[arg-type]


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    """A work with 1-4 creators and 0-3 rightsholders, its history, its licences, a question."""
    use = draw(USES)
    creators = tuple(f"c{i}" for i in range(draw(st.integers(1, 4))))
    holders = tuple(f"r{i}" for i in range(draw(st.integers(0, 3))))
    w = work(creators=creators, holders=holders)
    mandates = tuple(draw(mandates_for(i, creators)) for i in range(draw(st.integers(0, 2))))
    mandate_ids = [m.id for m in mandates]
    history = draw(st.lists(consents_for(w.party_ids, mandate_ids, use), max_size=14))
    count = draw(st.integers(0, 3))
    licences = tuple(draw(licences_for(i, w.party_ids, use)) for i in range(count))
    return Scenario(
        work=w,
        consents=tuple(history),
        licences=licences,
        mandates=mandates,
        developer=draw(st.sampled_from([DEV] * 7 + [None])),
        use=use,
        at=day(draw(st.sampled_from([10, 10, 3, 18]))),
        model=draw(st.sampled_from([None, None, "m1"])),
        territory=draw(st.sampled_from([None, None, "GB"])),
    )


# -- the oracle: the documented rules, restated by brute force ------------------------------


def oracle_state(s: Scenario, party: str) -> ConsentState:
    """A party's effective answer, straight from docs/decision-table.md."""
    related = s.use.related()
    live = [
        c
        for c in s.consents
        if c.party_id == party
        and c.subject_id == s.work.id
        and c.subject_kind is SubjectKind.WORK
        and c.recorded_at <= s.at
        and (c.expires_at is None or s.at < c.expires_at)
        and c.use in related
    ]
    own = [c for c in live if c.mandate_id is None]
    pool = own or [
        c
        for c in live
        if any(m.id == c.mandate_id and m.authorises(party, c.use, s.at) for m in s.mandates)
    ]

    def answer(use: Use) -> ConsentState | None:
        on_use = [c for c in pool if c.use is use]
        if not on_use:
            return None
        last = max(c.recorded_at for c in on_use)
        states = {c.state for c in on_use if c.recorded_at == last}
        return W if W in states else A if A in states else G

    if any(answer(u) is W for u in related):
        return W
    for use in (s.use, *s.use.ancestors()):
        found = answer(use)
        if found is not None:
            return found
    return A


def oracle(s: Scenario) -> tuple[Reason, str | None]:
    """DESIGN's decision table, row by row: (reason, licence id)."""
    states = {p: oracle_state(s, p) for p in s.work.party_ids}
    if W in states.values():
        return Reason.WITHHELD, None
    covering = [lic for lic in s.licences if covers(s, lic)]
    if not covering:
        return Reason.UNLICENSED, None
    assured = sorted(
        lic.id
        for lic in covering
        if states and all(p in lic.granted_by(s.work.id, s.at) or states[p] is G for p in states)
    )
    return (Reason.LICENSED, assured[0]) if assured else (Reason.UNASSURED, None)


def covers(s: Scenario, lic: Licence) -> bool:
    return s.developer is not None and lic.covers(
        work_id=s.work.id,
        developer_id=s.developer,
        use=s.use,
        at=s.at,
        model=s.model,
        territory=s.territory,
    )


def perfect_licence(s: Scenario) -> Licence:
    """A licence covering exactly the question, agreed by every party of the work."""
    return Licence(
        id="L_perfect",
        licensee_id=DEV,
        work_ids=frozenset({s.work.id}),
        uses=frozenset({s.use}),
        starts_at=day(0),
        grants=tuple(LicenceGrant(s.work.id, p, day(0)) for p in s.work.party_ids),
    )


# -- properties ---------------------------------------------------------------------------


@settings(max_examples=300)
@given(scenarios())
def test_the_decision_follows_the_documented_rules(s: Scenario) -> None:
    d = s.decide()
    event(f"reason: {d.reason}")
    assert (d.reason, d.licence_id) == oracle(s)
    assert d.include is (d.reason is Reason.LICENSED)
    assert [p.state for p in d.parties] == [oracle_state(s, p) for p in s.work.party_ids]


@given(scenarios())
def test_withheld_always_wins(s: Scenario) -> None:
    """(a) Any party withheld on a related use: excluded as withheld, whatever the licences."""
    withholding = [
        p
        for p in s.work.party_ids
        if effective_consent(s.work, p, s.use, s.at, s.consents, s.mandates).state is W
    ]
    for licences in (s.licences, (*s.licences, perfect_licence(s))):
        d = s.decide(licences=licences)
        assert (d.reason is Reason.WITHHELD) == bool(withholding)
        assert [p.party_id for p in d.withheld_by] == withholding
        if withholding:
            assert not d.include


@settings(max_examples=300)
@given(scenarios())
def test_include_implies_a_covering_licence_every_party_consented_to(s: Scenario) -> None:
    """(b) Include only under a covering licence each party granted or stands granted for."""
    d = s.decide()
    if not d.include:
        return
    chosen = [lic for lic in s.licences if lic.id == d.licence_id]
    assert len(chosen) == 1 and covers(s, chosen[0])
    agreed = chosen[0].granted_by(s.work.id, s.at)
    assert d.parties
    for standing in d.parties:
        assert standing.party_id in agreed or standing.state is G


@given(scenarios(), st.data())
def test_a_new_refusal_never_lets_a_work_in(s: Scenario, data: st.DataObject) -> None:
    """(c) Adding a withheld record for any party on any related use yields withheld."""
    party = data.draw(st.sampled_from(s.work.party_ids))
    use = data.draw(st.sampled_from(sorted(s.use.related())))
    refusal = Consent(party, s.work.id, use, W, recorded_at=s.at, recorded_by=party)
    before, after = s.decide(), s.decide(consents=(*s.consents, refusal))
    assert (after.include, after.reason) == (False, Reason.WITHHELD)
    assert party in {p.party_id for p in after.withheld_by}
    assert before.include or not after.include


@given(scenarios())
def test_no_licences_never_include(s: Scenario) -> None:
    """(d) A registry without licences includes nothing."""
    d = s.decide(licences=())
    assert not d.include
    assert d.reason in {Reason.WITHHELD, Reason.UNLICENSED}


@given(scenarios(), st.randoms(use_true_random=False))
def test_the_order_of_the_inputs_does_not_matter(s: Scenario, rnd: random.Random) -> None:
    """(e) Shuffled consents, licences and mandates give the very same decision."""
    consents, licences, mandates = list(s.consents), list(s.licences), list(s.mandates)
    rnd.shuffle(consents)
    rnd.shuffle(licences)
    rnd.shuffle(mandates)
    again = s.decide(tuple(consents), tuple(licences), tuple(mandates))
    assert again == s.decide()
