"""ODRL 2.2 JSON-LD: what export writes, import reads back exactly; bad documents are refused."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consentry.domain import FeeTerms, Pool, Use
from consentry.errors import InvalidInput
from consentry.licensing.odrl import CONTEXT, PROFILE, Grant, Policy, from_odrl, to_odrl
from consentry.licensing.types import Terms

T0 = datetime(2030, 1, 1, tzinfo=UTC)
FEES = FeeTerms(
    "GBP", flat=Decimal("1000.00"), per_work=Decimal("2.50"), pool=Pool(Decimal("9"), "tokens")
)
TERMS = Terms(
    uses=frozenset({Use.AI_TRAINING, Use.AI_INFERENCE}),
    starts_at=T0,
    ends_at=T0 + timedelta(days=365),
    models=frozenset({"summ-1"}),
    territories=frozenset({"GB", "IE"}),
    purpose="train a summariser",
    fee_terms=FEES,
    attribution="credit every creator",
)


def test_a_request_exports_as_odrl_with_action_purpose_duties_and_constraints() -> None:
    doc = to_odrl(Policy("Request", "req_1", "p_dev", ("w_1", "w_2"), TERMS))
    assert doc["@context"] == CONTEXT and doc["@type"] == "Request" and doc["profile"] == PROFILE
    assert doc["uid"] == "urn:consentry:request:req_1"
    assert doc["assignee"] == "urn:consentry:party:p_dev"
    rules = doc["permission"]
    assert [(r["target"], r["action"]) for r in rules] == [
        ("urn:consentry:work:w_1", "cs:ai_inference"),
        ("urn:consentry:work:w_1", "cs:ai_training"),
        ("urn:consentry:work:w_2", "cs:ai_inference"),
        ("urn:consentry:work:w_2", "cs:ai_training"),
    ]
    constraints = {
        (c["leftOperand"], c["operator"]): c["rightOperand"] for c in rules[0]["constraint"]
    }
    assert constraints[("purpose", "eq")] == "train a summariser"
    assert constraints[("dateTime", "gteq")] == {"@value": T0.isoformat(), "@type": "xsd:dateTime"}
    assert constraints[("spatial", "isAnyOf")] == ["GB", "IE"]
    assert constraints[("product", "isAnyOf")] == ["summ-1"]
    compensate, attribute = rules[0]["duty"]
    assert compensate["action"] == "compensate" and compensate["cs:feeTerms"]["flat"] == "1000.00"
    assert compensate["refinement"][0]["rightOperand"]["@value"] == "1000.00"
    assert attribute == {"action": "attribute", "cs:attributionText": "credit every creator"}
    json.dumps(doc)  # plain JSON


@pytest.mark.parametrize(
    "policy",
    [
        Policy("Request", "req_1", "p_dev", ("w_1", "w_2"), TERMS),
        Policy("Offer", "ctr_1", "p_dev", ("w_1",), TERMS, assigner_id="p_ada", counter_to="req_1"),
        Policy("Offer", "req_2", "p_dev", ("w_1",), TERMS, assigner_id="p_press"),
        Policy(
            "Agreement",
            "lic_1",
            "p_dev",
            ("w_1", "w_2"),
            Terms(frozenset({Use.SEARCH}), T0),
            grants=(Grant("w_1", "p_ada", T0), Grant("w_2", "p_ben", T0 + timedelta(hours=1))),
        ),
    ],
    ids=["request", "counter", "catalogue-offer", "agreement"],
)
def test_every_kind_round_trips(policy: Policy) -> None:
    assert from_odrl(json.loads(json.dumps(to_odrl(policy)))) == policy


_ids = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=8)
_amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@st.composite
def _terms(draw: st.DrawFn) -> Terms:
    start = T0 + timedelta(minutes=draw(st.integers(0, 10**6)))
    end = draw(
        st.one_of(st.none(), st.integers(1, 10**6).map(lambda m: start + timedelta(minutes=m)))
    )
    fees = draw(
        st.one_of(
            st.none(),
            st.builds(FeeTerms, st.just("EUR"), flat=st.one_of(st.none(), _amounts), cap=_amounts),
        )
    )
    return Terms(
        uses=frozenset(draw(st.sets(st.sampled_from(list(Use)), min_size=1))),
        starts_at=start,
        ends_at=end,
        models=frozenset(draw(st.sets(_ids, max_size=3))),
        territories=frozenset(
            draw(st.sets(st.sampled_from(["GB", "FR", "US", "world"]), max_size=3))
        ),
        purpose=draw(st.text(max_size=30)),
        fee_terms=fees,
        attribution=draw(st.one_of(st.none(), st.text(max_size=30))),
    )


@given(st.lists(_ids, min_size=1, max_size=4, unique=True), _terms())
def test_any_request_round_trips(works: list[str], terms: Terms) -> None:
    policy = Policy("Request", "req_x", "p_dev", tuple(works), terms)
    assert from_odrl(json.loads(json.dumps(to_odrl(policy)))) == policy


def _request_doc() -> dict[str, object]:
    one_use = replace(TERMS, uses=frozenset({Use.AI_TRAINING}))
    return to_odrl(Policy("Request", "req_1", "p_dev", ("w_1",), one_use))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda d: d.update({"@type": "Set"}), "expected a policy"),
        (lambda d: d["permission"].append(dict(d["permission"][0], duty=[])), "same terms"),
        (lambda d: d.update({"profile": "http://example.org/other"}), "consentry profile"),
        (lambda d: d.update({"permission": []}), "at least one permission"),
        (lambda d: d["permission"][0].update({"action": "cs:painting"}), "unknown action"),
        (
            lambda d: d["permission"][0].update({"target": "http://example.org/w"}),
            "expected a work",
        ),
        (
            lambda d: d["permission"][0]["constraint"].append(
                {"leftOperand": "count", "operator": "lt", "rightOperand": 3}
            ),
            "unsupported constraint count lt",
        ),
        (lambda d: d["permission"][0]["duty"].append({"action": "delete"}), "unknown duty"),
        (
            lambda d: d["permission"][0]["duty"][0]["cs:feeTerms"].update({"flat": 1.5}),
            "decimal string",
        ),
    ],
)
def test_documents_it_cannot_read_are_refused(change: object, match: str) -> None:
    doc = copy.deepcopy(_request_doc())
    change(doc)  # type: ignore[operator]
    with pytest.raises(InvalidInput, match=match):
        from_odrl(doc)
