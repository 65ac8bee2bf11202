"""Administrator accounts in the complaint rules, and the entries their decisions and claims make.

Property tests: an account is a complaint's administrator exactly when it acts
for neither side; a decision recorded as an account's is only ever an
administrator's, of an escalated complaint, and is logged with ``by_account``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from complaints_world import T0, escalated
from hypothesis import given
from hypothesis import strategies as st

from consentry.errors import InvalidInput
from consentry.evidence import events_complaints as events
from consentry.evidence.events_claims import claim_confirmed
from consentry.licensing import complaints as rules
from consentry.licensing.complaints import (
    Actor,
    ComplaintRefused,
    ComplaintState,
    Outcome,
    Remedy,
)
from consentry.licensing.complaints_check import Verdict
from consentry.licensing.complaints_json import complaint_as_dict

SCHEMA = (
    Path(__file__).resolve().parents[2] / "src" / "consentry" / "schemas" / "complaint.schema.json"
)
PARTIES = st.sets(st.sampled_from(["p_ada", "p_dev", "p_x", "p_y"]), max_size=4)


@given(acts_for=PARTIES)
def test_an_account_administers_exactly_the_complaints_it_is_no_side_of(
    acts_for: set[str],
) -> None:
    complaint = escalated()
    if acts_for & {"p_ada", "p_dev"}:
        with pytest.raises(ComplaintRefused):
            rules.account_actor(complaint, acts_for)
    else:
        assert rules.account_actor(complaint, acts_for) is Actor.ADMINISTRATOR


@given(
    actor=st.sampled_from(list(Actor)),
    outcome=st.sampled_from(list(Outcome)),
    remedy=st.none() | st.sampled_from(list(Remedy)),
)
def test_an_account_decision_is_an_administrators_and_is_logged_as_one(
    actor: Actor, outcome: Outcome, remedy: Remedy | None
) -> None:
    complaint = escalated()
    try:
        after = rules.resolve(
            complaint, "acc_1", actor, outcome, T0, remedy=remedy, by_account=True
        )
    except ComplaintRefused:
        return
    except InvalidInput as exc:  # an upheld one without a remedy, a remedy with another outcome
        assert "remedy" in str(exc)
        return
    assert actor is Actor.ADMINISTRATOR and outcome in (Outcome.UPHELD, Outcome.DISMISSED)
    assert after.state is ComplaintState.RESOLVED and after.resolution is not None
    assert after.resolution.by == "acc_1" and after.resolution.by_account
    entry = events.complaint_resolved(after)
    assert entry.fields["by"] == "acc_1" and entry.fields["by_account"] is True
    entry.canonical()  # ids only: no personal field


def test_a_party_decision_is_logged_as_before() -> None:
    after = rules.resolve(escalated(), "p_x", Actor.ADMINISTRATOR, Outcome.DISMISSED, T0)
    assert "by_account" not in events.complaint_resolved(after).fields


def test_a_confirmed_claim_entry_holds_ids_only() -> None:
    entry = claim_confirmed(
        "clm_1", "w", "p_a", "acc_1", authority="registrant", confirmed_by="p_r", at=T0
    )
    assert entry.type.value == "claim.confirmed"
    assert set(entry.fields) == {
        "claim", "work", "party", "account", "authority", "confirmed_by", "confirmed_at"
    }  # fmt: skip
    entry.canonical()
    with pytest.raises(ValueError, match="confirmed by"):
        claim_confirmed("clm_1", "w", "p_a", "acc_1", authority="me", confirmed_by="x", at=T0)


def test_an_account_decision_fits_the_complaint_schema() -> None:
    after = rules.resolve(
        escalated(), "acc_1", Actor.ADMINISTRATOR, Outcome.UPHELD, T0, remedy=Remedy.PAY,
        by_account=True,
    )  # fmt: skip
    shown = complaint_as_dict(after, Verdict.NOT_FOUND, T0)
    assert shown["resolution"]["by"] == "acc_1" and shown["resolution"]["by_account"] is True
    jsonschema.validate(shown, json.loads(SCHEMA.read_text(encoding="utf-8")))
