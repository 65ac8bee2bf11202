"""Croissant 1.1 metadata, with the Responsible-AI (RAI) fields, for each dataset version.

One document per dataset version a model was trained on: the dataset as a
``sc:Dataset`` whose distribution is the scan's ``manifest.jsonl`` (with its
committed SHA-256) and whose record set is one record per item (the manifest
columns). The RAI fields consentry knows are computed (how the data was
collected and filtered: the scan, its regime, its exclusions); the others come
from the developer's answers file, "not provided" otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.transparency.answers import NOT_PROVIDED, Answers

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"
# The Croissant 1.1 context as mlcroissant writes it.
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "description": {"@container": "@language"},
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "name": {"@container": "@language"},
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
_COLUMNS = ("item_id", "source", "kind", "decision", "work_id", "licence_id", "sha256")
# RAI fields from the answers file: (answers key, Croissant property, is a list).
_GIVEN = (
    ("data_collection_type", "rai:dataCollectionType", True),
    ("personal_sensitive_information", "rai:personalSensitiveInformation", True),
    ("data_biases", "rai:dataBiases", True),
    ("data_limitations", "rai:dataLimitations", True),
    ("data_use_cases", "rai:dataUseCases", True),
    ("data_social_impact", "rai:dataSocialImpact", False),
    ("data_release_maintenance_plan", "rai:dataReleaseMaintenancePlan", False),
)


def render_croissant(
    report: Mapping[str, Any], dataset: Mapping[str, Any], answers: Answers
) -> dict[str, Any]:
    """The Croissant 1.1 document for one of the report's dataset versions."""
    did = dataset["id"]
    developer = report["model"]["developer"]
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": f"consentry-dataset-{did}",
        "description": (
            f"The items of {dataset['corpus']} scanned by consentry for {dataset['use']} "
            f"({dataset['regime']} regime): {dataset['included']} included, "
            f"{dataset['excluded']} excluded. One record per item of the scan manifest."
        ),
        "url": f"urn:consentry:dataset:{did}",
        "version": "1.0.0",
        "datePublished": dataset["created_at"][:10],
        "license": answers.text("croissant", "licence") or NOT_PROVIDED,
        "citeAs": answers.text("croissant", "cite_as") or NOT_PROVIDED,
        "creator": {
            "@type": "sc:Organization",
            "name": answers.text("provider", "name")
            or (developer["name"] if developer else NOT_PROVIDED),
        },
        "distribution": [_manifest(dataset)],
        "recordSet": [_records()],
        **_rai(report, dataset, answers),
    }
    return doc


def _manifest(dataset: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": "manifest.jsonl",
        "name": "manifest.jsonl",
        "description": "The scan manifest: one row per input item, with its decision and reasons.",
        "contentUrl": "manifest.jsonl",
        "encodingFormat": "application/jsonlines",
        "sha256": dataset["manifest_sha256"],
    }


def _records() -> dict[str, Any]:
    return {
        "@type": "cr:RecordSet",
        "@id": "items",
        "name": "items",
        "description": "Every item of the scanned corpus, with consentry's decision.",
        "field": [
            {
                "@type": "cr:Field",
                "@id": f"items/{column}",
                "name": column,
                "dataType": "sc:Text",
                "source": {"fileObject": {"@id": "manifest.jsonl"}, "extract": {"column": column}},
            }
            for column in _COLUMNS
        ],
    }


def _rai(report: Mapping[str, Any], d: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    reasons = ", ".join(f"{k}: {n}" for k, n in report["excluded"]["by_reason"].items())
    found: dict[str, Any] = {
        "rai:dataCollection": (
            f"Items read from {d['corpus']} ({d['format']}) and scanned by consentry on "
            f"{d['as_of'][:10]} against a registry of works, consent and licences."
        ),
        "rai:dataPreprocessingProtocol": [
            f"Each item fingerprinted and matched against registered works; decided under the "
            f"{d['regime']} regime for {d['use']}; reservation signals read: {d['signals']}.",
            "Excluded before training (all datasets of the model), by reason: "
            f"{reasons or 'none'}.",
        ],
    }
    for key, prop, many in _GIVEN:
        value = answers.text("croissant", key) or NOT_PROVIDED
        found[prop] = [value] if many else value
    return found
