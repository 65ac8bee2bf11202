"""W3C ODRL 2.2 JSON-LD for requests (``Request``), offers and counters (``Offer``), licences
(``Agreement``), and back (``docs/odrl.md`` shows each with an example).

One permission per work and use: ``target`` the work, ``action`` the use (a
profile action, ``cs:ai_training``, each included in ``odrl:use``), with
constraints on ``purpose`` (eq), ``dateTime`` (gteq start, lt end),
``spatial`` (isAnyOf territories) and ``product`` (isAnyOf models), and
duties to ``compensate`` (``payAmount`` for a flat fee; the full fee terms,
DESIGN's one schema, as ``cs:feeTerms``) and to ``attribute``. Import reads
back exactly what export writes, and refuses anything it cannot read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consentry.domain import FeeTerms, Use
from consentry.errors import InvalidInput
from consentry.fees import fee_terms_from_dict, fee_terms_to_dict
from consentry.licensing.types import Terms

ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
CS = "https://consentry.org/ns/odrl#"
PROFILE = "https://consentry.org/ns/odrl"
CONTEXT: list[Any] = [ODRL_CONTEXT, {"cs": CS, "xsd": "http://www.w3.org/2001/XMLSchema#"}]
KINDS = ("Request", "Offer", "Agreement")


@dataclass(frozen=True, slots=True)
class Grant:
    """A party's grant of one work, as an Agreement records it."""

    work_id: str
    party_id: str
    granted_at: datetime


@dataclass(frozen=True, slots=True)
class Policy:
    """What an ODRL document says, in consentry's terms."""

    kind: str  # Request, Offer or Agreement
    uid: str  # the consentry id: req_..., ctr_..., lic_...
    developer_id: str
    work_ids: tuple[str, ...]
    terms: Terms
    assigner_id: str | None = None
    counter_to: str | None = None  # an Offer countering this request
    grants: tuple[Grant, ...] = ()


def urn(kind: str, ident: str) -> str:
    """``urn:consentry:<kind>:<id>``."""
    return f"urn:consentry:{kind}:{ident}"


def _from_urn(kind: str, value: object) -> str:
    prefix = f"urn:consentry:{kind}:"
    if not isinstance(value, str) or not value.startswith(prefix) or len(value) == len(prefix):
        raise InvalidInput(f"ODRL: expected a {kind} as {prefix}<id>, not {value!r}")
    return value[len(prefix) :]


def to_odrl(policy: Policy) -> dict[str, Any]:
    """The policy as an ODRL 2.2 JSON-LD document."""
    if policy.kind not in KINDS:
        raise InvalidInput(f"ODRL: a policy is one of {', '.join(KINDS)}")
    uid_kind = {"Request": "request", "Offer": "offer", "Agreement": "licence"}[policy.kind]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": policy.kind,
        "uid": urn(uid_kind, policy.uid),
        "profile": PROFILE,
        "assignee": urn("party", policy.developer_id),
    }
    if policy.assigner_id is not None:
        doc["assigner"] = urn("party", policy.assigner_id)
    if policy.counter_to is not None:
        doc["cs:counterTo"] = urn("request", policy.counter_to)
    doc["permission"] = [
        _permission(policy, work, use)
        for work in policy.work_ids
        for use in sorted(policy.terms.uses)
    ]
    return doc


def _permission(policy: Policy, work_id: str, use: Use) -> dict[str, Any]:
    terms = policy.terms
    rule: dict[str, Any] = {
        "target": urn("work", work_id),
        "action": f"cs:{use.value}",
        "constraint": _constraints(terms),
    }
    duties = _duties(terms)
    if duties:
        rule["duty"] = duties
    grants = [g for g in policy.grants if g.work_id == work_id]
    if grants:
        rule["assigner"] = [urn("party", g.party_id) for g in grants]
        rule["cs:grantedAt"] = {urn("party", g.party_id): g.granted_at.isoformat() for g in grants}
    return rule


def _time(value: datetime) -> dict[str, str]:
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _constraints(terms: Terms) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"leftOperand": "purpose", "operator": "eq", "rightOperand": terms.purpose},
        {"leftOperand": "dateTime", "operator": "gteq", "rightOperand": _time(terms.starts_at)},
    ]
    if terms.ends_at is not None:
        found.append(
            {"leftOperand": "dateTime", "operator": "lt", "rightOperand": _time(terms.ends_at)}
        )
    if terms.territories:
        found.append(
            {
                "leftOperand": "spatial",
                "operator": "isAnyOf",
                "rightOperand": sorted(terms.territories),
            }
        )
    if terms.models:
        found.append(
            {"leftOperand": "product", "operator": "isAnyOf", "rightOperand": sorted(terms.models)}
        )
    return found


def _duties(terms: Terms) -> list[dict[str, Any]]:
    duties: list[dict[str, Any]] = []
    if terms.fee_terms is not None:
        duty: dict[str, Any] = {
            "action": "compensate",
            "cs:feeTerms": fee_terms_to_dict(terms.fee_terms),
        }
        if terms.fee_terms.flat is not None:
            duty["refinement"] = [
                {
                    "leftOperand": "payAmount",
                    "operator": "eq",
                    "rightOperand": {"@value": str(terms.fee_terms.flat), "@type": "xsd:decimal"},
                    "unit": f"cs:currency/{terms.fee_terms.currency}",
                }
            ]
        duties.append(duty)
    if terms.attribution is not None:
        duties.append({"action": "attribute", "cs:attributionText": terms.attribution})
    return duties


def from_odrl(doc: Any) -> Policy:
    """Read a document :func:`to_odrl` wrote; :class:`InvalidInput` naming what is wrong."""
    if not isinstance(doc, Mapping) or doc.get("@type") not in KINDS:
        raise InvalidInput(f"ODRL: expected a policy of @type {', '.join(KINDS)}")
    kind = str(doc["@type"])
    if doc.get("profile") != PROFILE:
        raise InvalidInput(f"ODRL: only the consentry profile ({PROFILE}) can be imported")
    uid_kind = {"Request": "request", "Offer": "offer", "Agreement": "licence"}[kind]
    rules = doc.get("permission")
    if not isinstance(rules, list) or not rules:
        raise InvalidInput("ODRL: a policy needs at least one permission")
    works = tuple(dict.fromkeys(_from_urn("work", r.get("target")) for r in _rules(rules)))
    terms = _terms(rules)
    counter = doc.get("cs:counterTo")
    return Policy(
        kind=kind,
        uid=_from_urn(uid_kind, doc.get("uid")),
        developer_id=_from_urn("party", doc.get("assignee")),
        work_ids=works,
        terms=terms,
        assigner_id=_from_urn("party", doc["assigner"]) if "assigner" in doc else None,
        counter_to=_from_urn("request", counter) if counter is not None else None,
        grants=_grants(rules),
    )


def _rules(rules: Sequence[Any]) -> list[Mapping[str, Any]]:
    if not all(isinstance(r, Mapping) for r in rules):
        raise InvalidInput("ODRL: every permission must be an object")
    return list(rules)


def _terms(rules: Sequence[Mapping[str, Any]]) -> Terms:
    first = rules[0]
    for rule in rules[1:]:
        if rule.get("constraint") != first.get("constraint") or rule.get("duty") != first.get(
            "duty"
        ):
            raise InvalidInput("ODRL: every permission of one policy must carry the same terms")
    uses = frozenset(_use(r.get("action")) for r in rules)
    spec = _read_constraints(first.get("constraint"))
    fees: FeeTerms | None = None
    attribution: str | None = None
    for duty in first.get("duty") or ():
        if duty.get("action") == "compensate":
            fees = fee_terms_from_dict(duty.get("cs:feeTerms"))
        elif duty.get("action") == "attribute":
            attribution = str(duty.get("cs:attributionText", ""))
        else:
            raise InvalidInput(f"ODRL: unknown duty {duty.get('action')!r}")
    if "starts_at" not in spec:
        raise InvalidInput("ODRL: a permission needs a dateTime gteq constraint (the start)")
    return Terms(
        uses=uses,
        starts_at=spec["starts_at"],
        ends_at=spec.get("ends_at"),
        models=frozenset(spec.get("models", ())),
        territories=frozenset(spec.get("territories", ())),
        purpose=str(spec.get("purpose", "")),
        fee_terms=fees,
        attribution=attribution,
    )


def _use(action: object) -> Use:
    if not isinstance(action, str) or not action.startswith("cs:"):
        raise InvalidInput(f"ODRL: unknown action {action!r} (expected cs:<use>)")
    try:
        return Use(action[3:])
    except ValueError as exc:
        raise InvalidInput(f"ODRL: unknown action {action!r}", hint="see docs/uses.md") from exc


def _read_constraints(raw: object) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    for c in raw if isinstance(raw, list) else ():
        key = (c.get("leftOperand"), c.get("operator"))
        value = c.get("rightOperand")
        if key == ("purpose", "eq"):
            spec["purpose"] = value
        elif key == ("dateTime", "gteq"):
            spec["starts_at"] = _read_time(value)
        elif key == ("dateTime", "lt"):
            spec["ends_at"] = _read_time(value)
        elif key == ("spatial", "isAnyOf"):
            spec["territories"] = [str(v) for v in value]
        elif key == ("product", "isAnyOf"):
            spec["models"] = [str(v) for v in value]
        else:
            raise InvalidInput(f"ODRL: unsupported constraint {key[0]} {key[1]}")
    return spec


def _read_time(value: object) -> datetime:
    text = value.get("@value") if isinstance(value, Mapping) else value
    try:
        parsed = datetime.fromisoformat(str(text))
    except ValueError as exc:
        raise InvalidInput(f"ODRL: {text!r} is not an xsd:dateTime") from exc
    if parsed.tzinfo is None:
        raise InvalidInput(f"ODRL: {text!r} needs a time zone")
    return parsed


def _grants(rules: Sequence[Mapping[str, Any]]) -> tuple[Grant, ...]:
    found: dict[tuple[str, str], Grant] = {}
    for rule in rules:
        work = _from_urn("work", rule.get("target"))
        for party, at in (rule.get("cs:grantedAt") or {}).items():
            grant = Grant(work, _from_urn("party", party), _read_time(at))
            found[(work, grant.party_id)] = grant
    return tuple(found.values())
