"""Catalogue offers backed by creator consent, consent withdrawal and licence renewal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from requests_world import ADA, BEN, DEV, PRESS, ClockWorkspace, make_world, terms

from consentry.actions import answers, offers, requests, withdrawals
from consentry.actions.consent import consent_report, set_consent
from consentry.actions.ids import new_id
from consentry.actions.log import entries
from consentry.domain import ConsentState, Reason, Use
from consentry.errors import InvalidInput
from consentry.licensing import AnswerKind, Authority, PartyState, WorkState
from consentry.provenance import DatasetVersion, ModelVersion, TrainedOn, Training
from consentry.store import open_registry
from consentry.store.requests import RequestStore


@pytest.fixture
def ws(database_url: str) -> Iterator[ClockWorkspace]:
    yield from make_world(database_url)


def test_a_catalogue_licence_covers_only_works_whose_creators_consented(
    ws: ClockWorkspace,
) -> None:
    set_consent(ws, "w_ruth", ADA, Use.AI_TRAINING, ConsentState.GRANTED)
    made = offers.offer_catalogue(ws, PRESS, DEV, terms(ws))
    rid = made.request.id
    view = requests.show_request(ws, rid)
    by_work = {s.work_id: s for s in view.works}
    ada = by_work["w_ruth"].parties[0]
    assert ada.state is PartyState.GRANTED and ada.answer is not None
    assert ada.answer.authority is Authority.CONSENT
    assert by_work["w_jonah"].waiting_for == (BEN,)  # Ben's assurance is missing
    assert all(s.state is WorkState.PENDING for s in view.works)  # the developer has not accepted
    accepted = answers.accept(ws, rid)
    [licence] = accepted.licences
    assert licence.work_ids == {"w_ruth"} and licence.catalogue_of == PRESS
    asked = answers.request_assurance(ws, rid)
    assert asked == {"w_jonah": [BEN]}
    with open_registry(ws.engine) as reg:
        topics = [m.topic for m in RequestStore(reg.conn).messages(recipient_id=BEN)]
    assert topics == ["assurance"]
    later = answers.answer_request(ws, rid, BEN, AnswerKind.GRANT)
    assert [sorted(lic.work_ids) for lic in later.licences] == [["w_jonah"]]
    with pytest.raises(InvalidInput, match="already accepted"):
        answers.accept(ws, rid)


def test_an_offer_refused_by_the_developer_takes_no_answers(ws: ClockWorkspace) -> None:
    rid = offers.offer_catalogue(ws, PRESS, DEV, terms(ws), work_ids=["w_ruth"]).request.id
    answers.accept(ws, rid, refuse=True)
    with pytest.raises(InvalidInput, match="withdrawn"):
        answers.answer_request(ws, rid, ADA, AnswerKind.GRANT)
    with pytest.raises(InvalidInput, match="not in p_press's catalogue"):
        offers.offer_catalogue(ws, PRESS, DEV, terms(ws), work_ids=["w_solo"])


def _licensed_solo(ws: ClockWorkspace) -> str:
    rid = requests.create_request(ws, DEV, terms(ws, models=frozenset()), work_ids=["w_solo"])
    [licence] = answers.answer_request(ws, rid.request.id, ADA, AnswerKind.GRANT).licences
    return licence.id


def test_withdrawal_lists_the_datasets_and_models_it_affects(ws: ClockWorkspace) -> None:
    _licensed_solo(ws)
    scanned = ws.clock[0] + timedelta(days=1)
    dataset = DatasetVersion(
        new_id("ds"),
        "/corpus",
        "folder",
        "ai_training",
        "consent",
        scanned,
        DEV,
        '{"model": null, "territory": null}',
        3,
        2,
        1,
        "0" * 64,
        scanned,
    )
    before = DatasetVersion(
        new_id("ds"),
        "/corpus",
        "folder",
        "ai_training",
        "consent",
        ws.clock[0] - timedelta(days=9),
        DEV,
        "{}",
        3,
        2,
        1,
        "1" * 64,
        scanned,
    )
    model = ModelVersion(new_id("mv"), "summ", "1", DEV, scanned)
    with open_registry(ws.engine) as reg:
        reg.add_dataset_version(dataset)
        reg.add_dataset_version(before)  # scanned before the licence: the work was not in it
        reg.add_model_version(model)
        reg.add_training(Training(model.id, dataset.id, TrainedOn.CLEARED, 1, scanned))
    ws.advance(timedelta(days=2))
    effective = ws.clock[0] + timedelta(days=30)
    result = withdrawals.withdraw_consent(
        ws, "w_solo", ADA, [Use.AI_TRAINING], effective_at=effective
    )
    assert [d.id for d in result.datasets] == [dataset.id]
    assert [m.id for m in result.models] == [model.id]
    assert entries(ws)[-1].type == "consent.withdrawn"
    still = consent_report(ws, "w_solo", developer_ref=DEV, at=effective - timedelta(days=1))
    assert still.decision.reason is Reason.LICENSED  # future uses only
    after = consent_report(ws, "w_solo", developer_ref=DEV, at=effective + timedelta(days=1))
    assert after.decision.reason is Reason.WITHHELD
    with pytest.raises(InvalidInput, match="cannot be in the past"):
        withdrawals.withdraw_consent(
            ws, "w_solo", ADA, [Use.AI_TRAINING], effective_at=ws.clock[0] - timedelta(days=1)
        )
    with pytest.raises(InvalidInput, match="not a creator or rightsholder"):
        withdrawals.withdraw_consent(ws, "w_solo", BEN, [Use.AI_TRAINING])


def test_a_licence_expires_at_its_term_end_and_renews_with_every_party(
    ws: ClockWorkspace,
) -> None:
    licence_id = _licensed_solo(ws)
    ws.advance(timedelta(days=366))
    expired = consent_report(ws, "w_solo", developer_ref=DEV)
    assert expired.decision.reason is Reason.UNLICENSED
    with open_registry(ws.engine) as reg:
        end = reg.get_licence(licence_id).ends_at
    assert end is not None
    renewal = withdrawals.renew_licence(ws, licence_id, end + timedelta(days=365))
    assert renewal.request.renews == licence_id and renewal.request.terms.starts_at == end
    [renewed] = answers.answer_request(ws, renewal.request.id, ADA, AnswerKind.GRANT).licences
    assert renewed.starts_at == end and renewed.work_ids == {"w_solo"}
    assert consent_report(ws, "w_solo", developer_ref=DEV).decision.reason is Reason.LICENSED
    with pytest.raises(InvalidInput, match="must end after"):
        withdrawals.renew_licence(ws, licence_id, end)
