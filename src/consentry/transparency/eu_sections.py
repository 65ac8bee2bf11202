"""The answers to each part of the EU training-content summary template.

Each function returns the numbered parts of one section; each part a list of
answers marked ``computed``, ``developer`` or ``not provided``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from consentry.transparency.answers import NOT_PROVIDED, Answers, yes_no

# Per modality: the measure and the template's bands (upper bound exclusive, label).
BANDS: Mapping[str, tuple[str, tuple[tuple[float, str], ...]]] = {
    "text": (
        "tokens",
        (
            (1e9, "Less than 1 billion tokens"),
            (1e13, "1 billion to 10 trillion tokens"),
            (math.inf, "More than 10 trillion tokens"),
        ),
    ),
    "image": (
        "images",
        (
            (1e6, "Less than 1 million images"),
            (1e9, "1 million to 1 billion images"),
            (math.inf, "More than 1 billion images"),
        ),
    ),
    "audio": (
        "hours",
        (
            (1e4, "Less than 10,000 hours"),
            (1e6, "10,000 to 1 million hours"),
            (math.inf, "More than 1 million hours"),
        ),
    ),
    "video": (
        "hours",
        (
            (1e4, "Less than 10,000 hours"),
            (1e6, "10,000 to 1 million hours"),
            (math.inf, "More than 1 million hours"),
        ),
    ),
}

Answer = dict[str, str]


def band(kind: str, size: Mapping[str, Any]) -> str:
    """The template's size band for one modality, or "not provided" when unmeasured."""
    measure, bands = BANDS.get(kind, ("", ()))
    amount: float | None = {
        "tokens": size.get("tokens"),
        "images": size.get("items"),
        "hours": None if size.get("seconds") is None else float(size["seconds"]) / 3600,
    }.get(measure)
    if amount is None:
        return NOT_PROVIDED
    return next(label for limit, label in bands if amount < limit)


def _computed(question: str, answer: str) -> Answer:
    return {"question": question, "answer": answer, "source": "computed"}


def _given(question: str, value: str | None) -> Answer:
    if value is None:
        return {"question": question, "answer": NOT_PROVIDED, "source": "not provided"}
    return {"question": question, "answer": value, "source": "developer"}


def _flag(question: str, value: bool | None) -> Answer:
    return _given(question, None if value is None else yes_no(value))


def _part(number: str, title: str, answers: list[Answer]) -> dict[str, Any]:
    return {"number": number, "title": title, "answers": answers}


def _with(computed: str, extra: str | None) -> str:
    """A computed answer followed by what the developer added, if anything."""
    return computed if extra is None else f"{computed}\n{extra}"


def _modalities(kinds: list[str]) -> str:
    return ", ".join(kinds) if kinds else "none"


def general(report: Mapping[str, Any], answers: Answers) -> list[dict[str, Any]]:
    """Section 1: the provider, the model, modalities and sizes, other characteristics."""
    model = report["model"]
    developer = model["developer"]
    given_name = answers.text("provider", "name")
    name = (
        _given("Provider name", given_name)
        if given_name or not developer
        else _computed("Provider name", developer["name"])
    )
    contact = answers.text("provider", "contact")
    sizes: Mapping[str, Any] = report["sizes"]
    kinds = [k for k in sizes if k in BANDS]
    latest = max((d["as_of"] for d in report["datasets"]), default=None)
    return [
        _part(
            "1.1",
            "Provider identification",
            [
                name,
                _given("Contact details", contact),
                _given(
                    "Authorised representative",
                    answers.text("provider", "authorised_representative"),
                ),
            ],
        ),
        _part(
            "1.2",
            "Model identification",
            [
                _computed("Versioned model name", f"{model['name']} {model['version']}"),
                _given("Model dependencies", answers.text("model", "dependencies")),
                _given(
                    "Date of placement on the Union market",
                    answers.text("model", "placed_on_market"),
                ),
            ],
        ),
        _part(
            "1.3",
            "Modalities, overall training data size and other characteristics",
            [
                _computed("Modalities", _modalities(kinds)),
                *[
                    _computed(f"Training data size: {k}", band(k, sizes[k]))
                    if band(k, sizes[k]) != NOT_PROVIDED
                    else _given(f"Training data size: {k}", None)
                    for k in kinds
                ],
                _given("Types of content", answers.text("content", "types")),
                _computed(
                    "Latest date of data acquisition or collection",
                    latest[:7] if latest else NOT_PROVIDED,
                ),
                _flag("Continuous training", answers.flag("model", "continuous_training")),
                _given("Linguistic characteristics", answers.text("content", "languages")),
                _given("Other relevant characteristics", answers.text("content", "other")),
            ],
        ),
    ]


def _licensed(report: Mapping[str, Any], answers: Answers) -> list[Answer]:
    works = [w for w in report["works"] if w["licences"]]
    licences = sorted({lic["id"] for w in works for lic in w["licences"]})
    kinds = sorted({w["kind"] for w in works if w["kind"]})
    text = (
        f"{len(works)} registered works used under {len(licences)} licences recorded in the "
        "consentry registry, each granted by every creator and rightsholder of the work "
        f"({', '.join(licences)})."
        if works
        else "No registered work was used under a licence."
    )
    return [
        _computed("Used", yes_no(bool(works))),
        _computed("Modalities", _modalities(kinds)),
        _computed(
            "General description", _with(text, answers.text("licensed_datasets", "description"))
        ),
    ]


def _crawled(report: Mapping[str, Any], answers: Answers) -> list[Answer]:
    domains = report["domains"]
    listed = ", ".join(f"{d['domain']} ({d['size']} {domains['measure']})" for d in domains["top"])
    scope = (
        f"top {domains['share']} of {domains['total']} domain names of the training items' "
        f"source URLs, by content size in {domains['measure']}"
    )
    return [
        _flag("Used", answers.flag("crawled", "used")),
        _given("Crawler names or identifiers", answers.text("crawled", "crawlers")),
        _given("Purposes of the crawlers", answers.text("crawled", "purposes")),
        _given("Crawler behaviour", answers.text("crawled", "behaviour")),
        _given("Period of data collection", answers.text("crawled", "period")),
        _given("Type of content and online sources", answers.text("crawled", "description")),
        _computed(
            "Most relevant domain names",
            f"{scope}: {listed}" if listed else "no training item has an http(s) source URL",
        ),
    ]


def data_sources(report: Mapping[str, Any], answers: Answers) -> list[dict[str, Any]]:
    """Section 2: public, licensed, private, crawled, user, synthetic and other data."""

    def yes_and_text(section: str, *keys: tuple[str, str]) -> list[Answer]:
        return [_flag("Used", answers.flag(section, "used"))] + [
            _given(question, answers.text(section, key)) for question, key in keys
        ]

    return [
        _part(
            "2.1",
            "Publicly available datasets",
            yes_and_text(
                "public_datasets",
                ("Large publicly available datasets", "large"),
                ("General description of other publicly available datasets", "description"),
            ),
        ),
        _part(
            "2.2.1",
            "Datasets commercially licensed by rightsholders or their representatives",
            _licensed(report, answers),
        ),
        _part(
            "2.2.2",
            "Private datasets obtained from other third parties",
            yes_and_text(
                "private_datasets",
                ("Publicly known datasets", "known"),
                ("General description", "description"),
            ),
        ),
        _part("2.3", "Data crawled and scraped from online sources", _crawled(report, answers)),
        _part("2.4", "User data", yes_and_text("user_data", ("Description", "description"))),
        _part(
            "2.5",
            "Synthetic data",
            yes_and_text(
                "synthetic",
                ("Models used to generate it", "models"),
                ("Description", "description"),
            ),
        ),
        _part(
            "2.6",
            "Other sources of data",
            yes_and_text("other_sources", ("Description", "description")),
        ),
    ]


def _reservations(report: Mapping[str, Any]) -> str:
    """How reservations and consent were honoured, from the datasets and their exclusions."""
    lines = []
    for d in report["datasets"]:
        rule = (
            "consent regime: registered works only under a licence from every creator and "
            "rightsholder, unregistered material only under a stated rule"
            if d["regime"] == "consent"
            else "reservation regime (EU text-and-data-mining exception): unregistered material "
            "included unless a machine-readable reservation covers the use"
        )
        lines.append(
            f"Dataset {d['id']} (scanned {d['as_of'][:10]} for {d['use']}): {rule}; "
            f"reservation signals read: {d['signals']}; trained on {d['used']} items."
        )
    excluded = report["excluded"]["by_reason"]
    if excluded:
        counts = ", ".join(f"{code}: {n}" for code, n in excluded.items())
        lines.append(f"Items excluded before training, by reason: {counts}.")
    reserved = {
        k: n for k, n in report["excluded"]["by_detail"].items() if k.startswith("reserved")
    }
    if reserved:
        lines.append(
            "Machine-readable reservations honoured: "
            + ", ".join(f"{k}: {n}" for k, n in reserved.items())
            + "."
        )
    if report["excluded"]["used_anyway"]:
        lines.append(
            f"{report['excluded']['used_anyway']} excluded items were nevertheless used "
            "(trained on all items): they are recorded as unlicensed uses, to be paid for or "
            "removed."
        )
    return "\n".join(lines) if lines else "No dataset version recorded."


def data_processing(report: Mapping[str, Any], answers: Answers) -> list[dict[str, Any]]:
    """Section 3: reservations of rights honoured, illegal content, other information."""
    root = report["training_set"]
    return [
        _part(
            "3.1",
            "Respect of reservation of rights from the text and data mining exception",
            [
                _flag(
                    "Signatory of the General-Purpose AI Code of Practice",
                    answers.flag("processing", "code_of_practice"),
                ),
                _computed(
                    "Measures to respect reservations of rights",
                    _with(_reservations(report), answers.text("processing", "reservations")),
                ),
            ],
        ),
        _part(
            "3.2",
            "Removal of illegal content",
            [_given("Measures taken", answers.text("processing", "illegal_content"))],
        ),
        _part(
            "3.3",
            "Other information",
            [
                _computed(
                    "Training-set commitment",
                    f"Merkle root {root['root']} over {root['size']} item hashes, recorded in the "
                    "consentry evidence log with this report's hash",
                ),
                _given("Other information", answers.text("processing", "other")),
            ],
        ),
    ]
