"""Plain words for uses, answers and decisions, so that nobody needs the codes."""

from __future__ import annotations

from typing import Any

from consentry.domain import ConsentState, FeeTerms, Use
from consentry.licensing.types import Terms
from consentry.registry import PartyStanding

USE_WORDS: dict[Use, tuple[str, str]] = {
    Use.DATA_MINING: (
        "Text and data mining",
        "Any automated analysis of the work. A “no” here also covers every AI use below it.",
    ),
    Use.AI_TRAINING: (
        "Training AI models",
        "Developing any AI model with the work: pre-training, fine-tuning, evaluation.",
    ),
    Use.GENAI_TRAINING: (
        "Training generative AI",
        "Training models that write, draw, speak or make music.",
    ),
    Use.AI_INFERENCE: (
        "Use by an AI while it answers",
        "Retrieval or grounding: the work is fed to an AI at the moment it answers someone.",
    ),
    Use.SEARCH: ("Search indexing", "Indexing the work so that search engines can find it."),
}

USE_ORDER: tuple[Use, ...] = tuple(Use)

STATE_WORDS: dict[ConsentState, str] = {
    ConsentState.GRANTED: "Yes — willing to license it",
    ConsentState.ASK: "Ask first",
    ConsentState.WITHHELD: "No — never",
}

STATE_HINTS: dict[ConsentState, str] = {
    ConsentState.GRANTED: "A developer still needs a licence, with terms, before any use.",
    ConsentState.ASK: "Nobody may use it; developers may send a request you can answer.",
    ConsentState.WITHHELD: "Nobody may use it, whatever any licence or catalogue deal says.",
}

REASON_WORDS: dict[str, str] = {
    "licensed": "licensed by every creator and rightsholder",
    "withheld": "a creator or rightsholder said no",
    "unlicensed": "registered, but no licence covers this use",
    "unassured": "a licence exists, but not every creator consented",
    "unknown": "not registered, and no rule covers it",
    "unreadable": "could not be read, so it was left out",
    "error": "could not be decided, so it was left out",
    "reserved": "a machine-readable reservation says no",
    "unreserved": "not registered, and no reservation",
    "open_licence": "an open licence covers it",
    "source_licensed": "a licence for its source covers it",
    "own": "the developer's own material",
}


def standing_words(standing: PartyStanding, use: Use) -> str:
    """What a party's effective answer for ``use`` is, and where it comes from."""
    said = STATE_WORDS[standing.state]
    if standing.consent is None:
        return f"{said} (no answer given yet)"
    if standing.decided_by is not None and standing.decided_by != use:
        origin = USE_WORDS[standing.decided_by][0].lower()
        return f"{said} (because of the answer for {origin})"
    if standing.via_mandate:
        return f"{said} (answered through a mandate)"
    return said


def reason_words(code: str) -> str:
    """A manifest reason code in plain words (the code itself when it is not known)."""
    return REASON_WORDS.get(code.split(":", 1)[0], code)


FEE_WORDS: tuple[tuple[str, str], ...] = (
    ("flat", "a flat fee of {}"),
    ("per_work", "{} for each work used"),
    ("per_item", "{} for each item (file or record) used"),
    ("per_token", "{} for each token of text used"),
    ("per_second", "{} for each second of audio or video used"),
    ("per_inference_use", "{} each time an AI uses the work while answering"),
    ("minimum", "at least {} in all per period"),
    ("cap", "at most {} in all per period"),
)
"""Each per-unit or licence-wide fee field, as a sentence with the amount in it."""

ANSWER_WORDS: dict[str, str] = {
    "grant": "said yes",
    "refuse": "said no",
    "counter": "asked for other terms",
}
AUTHORITY_WORDS: dict[str, str] = {
    "own": "for themselves",
    "mandate": "as an agent, on a mandate from the creator",
    "consent": "by the creator's standing “yes”",
}
WORK_STATE_WORDS: dict[str, str] = {
    "pending": "waiting for answers",
    "countered": "other terms proposed; the developer must accept or refuse them",
    "refused": "refused",
    "withheld": "consent withheld: nothing can license it",
    "in_force": "licensed: every creator and rightsholder said yes",
}
PARTY_STATE_WORDS: dict[str, str] = {
    "pending": "has not answered yet",
    "granted": "said yes",
    "refused": "said no",
    "countered": "asked for other terms",
}


def fee_words(fees: FeeTerms | None) -> list[str]:
    """Fee terms as plain sentences (``["100.00 GBP for each work used", ...]``)."""
    if fees is None:
        return ["no fee"]
    said = []
    for name, sentence in FEE_WORDS:
        value = getattr(fees, name)
        if value is not None:
            said.append(sentence.format(f"{value} {fees.currency}"))
    if fees.pool is not None:
        said.append(
            f"a pool of {fees.pool.amount} {fees.currency} per period, shared by "
            f"{fees.pool.by} used"
        )
    if fees.revenue_share is not None:
        said.append(f"{(fees.revenue_share * 100).normalize():f}% of the model's revenue")
    if fees.period:
        said.append(f"paid per {fees.period}")
    return said or ["no fee"]


def terms_words(terms: Terms) -> dict[str, Any]:
    """What a request asks, field by field, in words a creator can read without help."""
    return {
        "uses": [USE_WORDS[u][0] for u in USE_ORDER if u in terms.uses],
        "purpose": terms.purpose or "not said",
        "models": ", ".join(sorted(terms.models)) or "any model of the developer's",
        "term": _term(terms),
        "territory": ", ".join(sorted(terms.territories)) or "the whole world",
        "fees": fee_words(terms.fee_terms),
        "attribution": terms.attribution or "no credit asked for",
    }


def _term(terms: Terms) -> str:
    start = terms.starts_at.strftime("%d %B %Y")
    if terms.ends_at is None:
        return f"from {start}, with no end date"
    return f"from {start} until {terms.ends_at.strftime('%d %B %Y')}"
