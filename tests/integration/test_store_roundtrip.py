"""Every domain type goes into the Registry and comes back equal, on SQLite and PostgreSQL.

Each test writes in one transaction and reads in another, so what is compared
is what the database kept, not what a Python object still holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import StatementError

from consentry.domain import (
    Consent,
    ConsentState,
    Contribution,
    FeeTerms,
    Fingerprints,
    Licence,
    LicenceGrant,
    Mandate,
    Party,
    PartyKind,
    Persona,
    Pool,
    Rights,
    Role,
    Split,
    SubjectKind,
    Use,
    Work,
    WorkKind,
)
from consentry.errors import NotFound
from consentry.store import open_registry
from consentry.store.tables import consents, parties

T0 = datetime(2024, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)
PLUS_TWO = timezone(timedelta(hours=2))

ADA = Party(
    id="p_ada",
    name="Ada Quill",
    kind=PartyKind.CREATOR,
    isni="0000000121032683",
    ipi="00052210040",
    orcid="0000-0002-1825-0097",
    email="ada@example.org",
)
BEN = Party(id="p_ben", name="Ben Ink", kind=PartyKind.CREATOR)
LANTERN = Party(id="p_lantern", name="Lantern Press", kind=PartyKind.RIGHTSHOLDER)
SOCIETY = Party(id="p_soc", name="Writers' Society", kind=PartyKind.RIGHTSHOLDER)
DEV = Party(id="p_dev", name="Northwind AI", kind=PartyKind.DEVELOPER)
PARTIES = (ADA, BEN, LANTERN, SOCIETY, DEV)

THIRD = Decimal("0.333333333333333333")

RUTH = Work(
    id="w_ruth",
    title="Ruth — a retelling",
    kind=WorkKind.TEXT,
    identifiers={
        "isbn": ("9780306406157", "9781861972712"),
        "doi": ("10.1000/182",),
        "url": ("https://example.org/a", "https://example.org/b", "https://example.org/c"),
    },
    contributions=(
        Contribution("p_ben", Role.TRANSLATOR, THIRD),
        Contribution("p_ada", Role.AUTHOR, Decimal("0.1")),
        Contribution("p_ada", Role.ILLUSTRATOR, None),
    ),
    rights=(
        Rights("p_lantern", Decimal("0.666666666666666667"), "GB"),
        Rights("p_soc", None, "world"),
    ),
    split=Split(Decimal("0.35"), Decimal("0.65")),
    fingerprints=Fingerprints(sha256="a" * 64, content_sha256="b" * 64, norm="text-v1"),
)

BARE = Work(id="w_bare", title="Untitled", kind=WorkKind.IMAGE)


def _setup(engine: Engine, *works: Work) -> None:
    with open_registry(engine) as reg:
        reg.add_parties(PARTIES)
        reg.add_works(works)


def test_parties_round_trip_with_every_id(engine: Engine) -> None:
    _setup(engine)
    with open_registry(engine) as reg:
        for party in PARTIES:
            assert reg.get_party(party.id) == party
        assert [p.id for p in reg.list_parties(PartyKind.CREATOR)] == ["p_ada", "p_ben"]
        assert reg.list_parties() == sorted(PARTIES, key=lambda p: p.id)
        assert reg.find_parties_by_name("Ada Quill") == [ADA]
        assert reg.find_parties_by_name("ada quill") == []


def test_work_round_trips_with_exact_decimals_order_and_fingerprints(engine: Engine) -> None:
    _setup(engine, RUTH, BARE)
    with open_registry(engine) as reg:
        ruth, bare = reg.get_work("w_ruth"), reg.get_work("w_bare")
    assert ruth == RUTH
    assert bare == BARE
    # Equal is not enough for money: every digit must survive (no float, no rounding).
    assert [str(c.share) for c in ruth.contributions] == ["0.333333333333333333", "0.1", "None"]
    assert [str(r.share) for r in ruth.rights] == ["0.666666666666666667", "None"]
    assert all(isinstance(c.share, Decimal) for c in ruth.contributions[:2])
    assert ruth.split is not None
    assert (str(ruth.split.creators), str(ruth.split.rightsholders)) == ("0.35", "0.65")
    assert ruth.creator_ids == ("p_ben", "p_ada")
    assert ruth.rightsholder_ids == ("p_lantern", "p_soc")
    assert ruth.identifiers["url"] == (
        "https://example.org/a",
        "https://example.org/b",
        "https://example.org/c",
    )
    assert bare.split is None and bare.fingerprints == Fingerprints()
    assert dict(bare.identifiers) == {}


def test_decimal_shares_keep_their_exact_text(engine: Engine) -> None:
    shares = ("0.1", "0.10", "1", "1E-18", "0.000000000000000001", "0.3333333333333333333333333333")
    work = Work(
        id="w_shares",
        title="Shares",
        kind=WorkKind.AUDIO,
        contributions=tuple(Contribution("p_ada", Role.OTHER, Decimal(s)) for s in shares),
    )
    _setup(engine, work)
    with open_registry(engine) as reg:
        back = reg.get_work("w_shares")
    assert [str(c.share) for c in back.contributions] == [str(Decimal(s)) for s in shares]


def test_consent_history_round_trips_with_aware_utc_times(engine: Engine) -> None:
    _setup(engine, RUTH)
    mandate = Mandate(
        id="m_soc",
        agent_id="p_soc",
        creator_ids=frozenset({"p_ada", "p_ben"}),
        uses=frozenset({Use.AI_TRAINING, Use.SEARCH}),
        granted_at=T0,
    )
    history = [
        Consent("p_ada", "w_ruth", Use.AI_TRAINING, ConsentState.GRANTED, T0, "p_ada"),
        Consent(
            "p_ben",
            "w_ruth",
            Use.GENAI_TRAINING,
            ConsentState.WITHHELD,
            # Given at +02:00, the same instant comes back in UTC.
            datetime(2024, 3, 2, 12, 0, 0, 1, tzinfo=PLUS_TWO),
            "p_soc",
            mandate_id="m_soc",
            evidence="signed letter, ref 42",
            expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        ),
        Consent("p_ada", "w_ruth", Use.AI_TRAINING, ConsentState.ASK, T0 + timedelta(days=3), "x"),
    ]
    with open_registry(engine) as reg:
        reg.add_mandate(mandate)
        versions = [reg.record_consent(c) for c in history]
    assert versions == [1, 2, 3]
    with open_registry(engine) as reg:
        back = reg.consents_for("w_ruth")
        assert reg.work_consent_version("w_ruth") == 3
        assert reg.get_mandate("m_soc") == mandate
    assert back == history
    for consent in back:
        assert consent.recorded_at.utcoffset() == timedelta(0)
    assert back[1].recorded_at == datetime(2024, 3, 2, 10, 0, 0, 1, tzinfo=UTC)
    assert back[1].expires_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert back[1].expires_at is not None and back[1].expires_at.tzinfo is not None
    assert back[1].mandate_id == "m_soc" and not back[1].on_own_authority
    assert back[0].on_own_authority and back[0].expires_at is None


def test_bulk_consents_bump_each_work_once(engine: Engine) -> None:
    _setup(engine, RUTH, BARE)
    batch = [
        Consent("p_ada", "w_ruth", use, ConsentState.GRANTED, T0, "importer")
        for use in (Use.AI_TRAINING, Use.SEARCH)
    ] + [Consent("p_ada", "w_bare", Use.SEARCH, ConsentState.WITHHELD, T0, "importer")]
    with open_registry(engine) as reg:
        reg.record_consents_bulk(batch)
    with open_registry(engine) as reg:
        assert reg.work_consent_version("w_ruth") == 1
        assert reg.work_consent_version("w_bare") == 1
        assert reg.consents_for_works(["w_ruth", "w_bare"]) == {
            "w_ruth": batch[:2],
            "w_bare": batch[2:],
        }


def test_persona_consent_is_kept_apart_from_works(engine: Engine) -> None:
    _setup(engine)
    persona = Persona("pe_ada", "p_ada", ("Ada Quill", "A. Q.", "Zed"), voice=True)
    other = Persona("pe_ada2", "p_ada", ("Quill",), likeness=True)
    consent = Consent(
        "p_ada",
        "pe_ada",
        Use.GENAI_TRAINING,
        ConsentState.WITHHELD,
        T0,
        "p_ada",
        subject_kind=SubjectKind.PERSONA,
    )
    with open_registry(engine) as reg:
        reg.add_persona(other)
        reg.add_persona(persona)
        reg.record_consents_bulk([consent])
    with open_registry(engine) as reg:
        assert reg.personas_of("p_ada") == [persona, other]
        assert reg.personas_of("p_ben") == []
        assert reg.consents_for("pe_ada", SubjectKind.PERSONA) == [consent]
        assert reg.consents_for("pe_ada") == []


def test_mandate_round_trips_and_revokes(engine: Engine) -> None:
    _setup(engine)
    mandate = Mandate(
        id="m_1",
        agent_id="p_soc",
        creator_ids=frozenset({"p_ada"}),
        uses=frozenset({Use.DATA_MINING}),
        granted_at=T0,
    )
    with open_registry(engine) as reg:
        reg.add_mandate(mandate)
    revoked_at = datetime(2025, 1, 1, 1, tzinfo=PLUS_TWO)
    with open_registry(engine) as reg:
        assert reg.get_mandate("m_1") == mandate
        reg.revoke_mandate("m_1", revoked_at)
    with open_registry(engine) as reg:
        back = reg.get_mandate("m_1")
        assert reg.mandates_for_creators(["p_ada"]) == [back]
        assert reg.mandates_for_creators(["p_ben"]) == []
    assert back.revoked_at == revoked_at
    assert back.revoked_at is not None and back.revoked_at.utcoffset() == timedelta(0)
    assert back.authorises("p_ada", Use.AI_TRAINING, T0 + timedelta(days=1))
    assert not back.authorises("p_ada", Use.AI_TRAINING, revoked_at)


FEES = FeeTerms(
    currency="GBP",
    flat=Decimal("1000.00"),
    per_work=Decimal("0.333333333333333333"),
    per_item=Decimal("0.1"),
    per_token=Decimal("0.0000001"),
    per_second=Decimal("2.50"),
    per_inference_use=Decimal("0.005"),
    pool=Pool(Decimal("12345.67"), "tokens"),
    revenue_share=Decimal("0.05"),
    minimum=Decimal("100"),
    cap=Decimal("99999.99"),
    period="quarter",
)


def _licence(licence_id: str, work_ids: set[str], **extra: Any) -> Licence:
    fields: dict[str, Any] = {
        "id": licence_id,
        "licensee_id": "p_dev",
        "work_ids": frozenset(work_ids),
        "uses": frozenset({Use.AI_TRAINING}),
        "starts_at": T0,
    }
    fields.update(extra)
    return Licence(**fields)


def test_licence_round_trips_with_fee_terms_and_revokes(engine: Engine) -> None:
    _setup(engine, RUTH, BARE)
    licence = _licence(
        "l_1",
        {"w_ruth", "w_bare"},
        uses=frozenset({Use.AI_TRAINING, Use.AI_INFERENCE}),
        ends_at=datetime(2026, 1, 1, tzinfo=PLUS_TWO),
        models=frozenset({"north-7b", "north-70b"}),
        territories=frozenset({"GB", "FR"}),
        fee_terms=FEES,
        grants=(
            LicenceGrant("w_ruth", "p_ada", T0),
            LicenceGrant("w_ruth", "p_lantern", T0 + timedelta(hours=1)),
            LicenceGrant("w_bare", "p_ada", T0 + timedelta(hours=2)),
        ),
        catalogue_of="p_lantern",
    )
    minimal = _licence("l_2", {"w_bare"})
    with open_registry(engine) as reg:
        reg.add_licence(licence)
        reg.add_licence(minimal)
    with open_registry(engine) as reg:
        assert reg.get_licence("l_1") == licence
        assert reg.get_licence("l_2") == minimal
        reg.revoke_licence("l_1", T0 + timedelta(days=30))
    with open_registry(engine) as reg:
        back = reg.get_licence("l_1")
    assert back.revoked_at == T0 + timedelta(days=30)
    assert back.fee_terms == FEES
    assert back.fee_terms is not None and back.fee_terms.pool is not None
    assert str(back.fee_terms.per_work) == "0.333333333333333333"
    assert str(back.fee_terms.flat) == "1000.00"
    assert str(back.fee_terms.pool.amount) == "12345.67"
    assert back.ends_at == datetime(2025, 12, 31, 22, tzinfo=UTC)
    at = T0 + timedelta(days=1)
    asked = {"work_id": "w_ruth", "developer_id": "p_dev", "model": "north-7b", "territory": "GB"}
    assert back.covers(use=Use.AI_TRAINING, at=at, **asked)
    assert not back.covers(use=Use.AI_TRAINING, at=back.revoked_at, **asked)


def test_unknown_ids_are_not_found(engine: Engine) -> None:
    _setup(engine)
    with open_registry(engine) as reg:
        for lookup in (
            reg.get_party,
            reg.get_work,
            reg.get_licence,
            reg.get_mandate,
            reg.work_consent_version,
        ):
            with pytest.raises(NotFound, match="nope"):
                lookup("nope")
        with pytest.raises(NotFound):
            reg.revoke_mandate("nope", T0)
        with pytest.raises(NotFound):
            reg.revoke_licence("nope", T0)
        with pytest.raises(NotFound):
            reg.record_consent(
                Consent("p_ada", "nope", Use.SEARCH, ConsentState.GRANTED, T0, "p_ada")
            )
    with open_registry(engine) as reg:
        assert reg.consents_for("nope") == []


def test_a_naive_datetime_is_refused_and_nothing_is_written(engine: Engine) -> None:
    _setup(engine, RUTH)
    naive = datetime(2024, 3, 1, 9, 30)  # no zone: the point of the test
    with (
        pytest.raises(StatementError, match="naive datetime") as refused,
        open_registry(engine) as reg,
    ):
        reg.record_consent(
            Consent("p_ada", "w_ruth", Use.SEARCH, ConsentState.GRANTED, naive, "p_ada")
        )
    assert isinstance(refused.value.orig, ValueError)
    with pytest.raises(StatementError, match="naive datetime"), open_registry(engine) as reg:
        reg.add_mandate(
            Mandate("m_x", "p_soc", frozenset({"p_ada"}), frozenset({Use.SEARCH}), naive)
        )
    with open_registry(engine) as reg:
        assert reg.consents_for("w_ruth") == []
        assert reg.work_consent_version("w_ruth") == 0
        with pytest.raises(NotFound):
            reg.get_mandate("m_x")
        assert reg.conn.execute(select(func.count()).select_from(consents)).scalar_one() == 0
        assert reg.conn.execute(select(func.count()).select_from(parties)).scalar_one() == 5
