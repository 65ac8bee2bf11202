"""The vocabulary's own rules: consent in force, mandates, licence coverage, parties."""

from __future__ import annotations

from decimal import Decimal

from test_registry_builders import AIT, DM, GEN, SEARCH, G, consent, day, licence, mandate

from consentry.domain import Contribution, Rights, Split, Use, Work, WorkKind


def test_a_consent_is_in_force_from_recording_until_expiry() -> None:
    c = consent("p_a", AIT, G, on=2, expires=5)
    assert [c.in_force(day(d)) for d in (1, 2, 4.9, 5, 6)] == [False, True, True, False, False]
    assert consent("p_a", AIT, G, on=2).in_force(day(1000))
    assert consent("p_a", AIT, G).on_own_authority
    assert not consent("p_a", AIT, G, mandate="m1").on_own_authority


def test_a_mandate_authorises_its_creators_for_its_uses_and_below_while_in_force() -> None:
    m = mandate(creators=("p_a",), uses=(AIT,), granted=2, revoked=5)
    assert m.authorises("p_a", AIT, day(2))
    assert m.authorises("p_a", GEN, day(3))
    assert not m.authorises("p_a", DM, day(3))  # a broader use
    assert not m.authorises("p_a", SEARCH, day(3))
    assert not m.authorises("p_b", AIT, day(3))
    assert not m.authorises("p_a", AIT, day(1))  # before it was granted
    assert not m.authorises("p_a", AIT, day(5))  # revoked (exclusive)


def test_licence_coverage_edges() -> None:
    deal = licence(starts=2, ends=5, models=("m1",), territories=("GB",))

    def covered(at: float, use: Use = GEN, model: str | None = "m1", gb: bool = True) -> bool:
        return deal.covers(
            work_id="w1",
            developer_id="p_dev",
            use=use,
            at=day(at),
            model=model,
            territory="GB" if gb else None,
        )

    assert covered(2)
    assert not covered(5)  # the end is exclusive
    assert not covered(1)  # not yet started
    assert not covered(3, use=DM)  # broader than licensed
    assert not covered(3, model=None)
    assert not covered(3, gb=False)
    assert not licence(revoked=3).covers(work_id="w1", developer_id="p_dev", use=AIT, at=day(3))


def test_licence_grants_count_per_work_and_by_date() -> None:
    deal = licence(works=("w1", "w2"), grants={"p_a": 1, "p_b": 4})
    assert deal.granted_by("w1", day(3)) == {"p_a"}
    assert deal.granted_by("w2", day(4)) == {"p_a", "p_b"}
    assert deal.granted_by("w3", day(9)) == frozenset()


def test_work_parties_are_unique_creators_first() -> None:
    w = Work(
        id="w1",
        title="t",
        kind=WorkKind.TEXT,
        contributions=(Contribution("a"), Contribution("b"), Contribution("a")),
        rights=(Rights("r"), Rights("a")),
    )
    assert (w.creator_ids, w.rightsholder_ids, w.party_ids) == (
        ("a", "b"),
        ("r", "a"),
        ("a", "b", "r"),
    )
    assert w.effective_split == Split(Decimal("0.5"), Decimal("0.5"))
    alone = Work(id="w2", title="t", kind=WorkKind.TEXT, contributions=(Contribution("a"),))
    assert alone.effective_split == Split(Decimal(1), Decimal(0))
