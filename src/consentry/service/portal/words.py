"""Plain words for uses, answers and decisions, so that nobody needs the codes."""

from __future__ import annotations

from consentry.domain import ConsentState, Use
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
