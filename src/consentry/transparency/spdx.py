"""SPDX 3.0.1 JSON-LD with the AI and Dataset profiles, rendered from the report.

The model version is an ``ai_AIPackage``; each dataset version it was
trained on is a ``dataset_DatasetPackage`` joined to it by a ``trainedOn``
relationship (consentry records no evaluation runs, so no ``testedOn`` is
written). The developer is the supplier (an Organization), consentry the
creating Tool. Element ids are IRIs under ``urn:consentry:``, derived from the
registry's ids, so the same report gives the same document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.transparency.answers import Answers

CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
_DATASET_TYPES = {"text": "text", "image": "image", "audio": "audio", "video": "video"}


def _iri(model_id: str, *parts: str) -> str:
    return ":".join(["urn:consentry:spdx", model_id, *parts])


def render_spdx(report: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """The SPDX 3.0.1 document (JSON-LD) for the report's model version."""
    model = report["model"]
    mid = model["id"]
    created = report["generated_at"].split(".")[0].removesuffix("+00:00") + "Z"
    info = "_:creationinfo"
    tool = {"type": "Tool", "spdxId": _iri(mid, "tool"), "creationInfo": info, "name": "consentry"}
    supplier_name = answers.text("provider", "name") or (
        model["developer"]["name"] if model["developer"] else None
    )
    graph: list[dict[str, Any]] = [
        {
            "type": "CreationInfo",
            "@id": info,
            "specVersion": "3.0.1",
            "created": created,
            "createdBy": [_iri(mid, "creator")],
            "createdUsing": [tool["spdxId"]],
        },
        {
            "type": "Organization",
            "spdxId": _iri(mid, "creator"),
            "creationInfo": info,
            "name": supplier_name or "not provided",
        },
        tool,
        _package(report, answers, info),
    ]
    for d in report["datasets"]:
        graph.append(_dataset(mid, d, info))
        graph.append(
            {
                "type": "Relationship",
                "spdxId": _iri(mid, "trainedOn", d["id"]),
                "creationInfo": info,
                "from": _iri(mid, "model"),
                "relationshipType": "trainedOn",
                "to": [_iri(mid, "dataset", d["id"])],
            }
        )
    elements = [e["spdxId"] for e in graph if "spdxId" in e]
    graph.append(
        {
            "type": "SpdxDocument",
            "spdxId": _iri(mid, "document"),
            "creationInfo": info,
            "name": f"{model['name']} {model['version']}: training data",
            "profileConformance": ["core", "software", "ai", "dataset"],
            "rootElement": [_iri(mid, "model")],
            "element": elements,
        }
    )
    return {"@context": CONTEXT, "@graph": graph}


def _package(report: Mapping[str, Any], answers: Answers, info: str) -> dict[str, Any]:
    model = report["model"]
    mid = model["id"]
    ts = report["training_set"]
    package: dict[str, Any] = {
        "type": "ai_AIPackage",
        "spdxId": _iri(mid, "model"),
        "creationInfo": info,
        "name": model["name"],
        "software_packageVersion": model["version"],
        "software_primaryPurpose": "model",
        "suppliedBy": _iri(mid, "creator"),
        "releaseTime": report["generated_at"].split(".")[0].removesuffix("+00:00") + "Z",
        "ai_informationAboutTraining": (
            f"Trained on {ts['items']} items of {len(report['datasets'])} dataset versions "
            f"cleared by consentry ({', '.join(report['regimes'])} regime); training-set "
            f"commitment: Merkle root {ts['root']} over {ts['size']} hashes."
        ),
        "comment": f"{len(report['works'])} registered works used; see report.json.",
    }
    location = answers.text("model", "download_location")
    if location:
        package["software_downloadLocation"] = location
    kind = answers.text("model", "type_of_model")
    if kind:
        package["ai_typeOfModel"] = [kind]
    return package


def _dataset(mid: str, d: Mapping[str, Any], info: str) -> dict[str, Any]:
    kinds = [_DATASET_TYPES[k] for k in d["kinds"] if k in _DATASET_TYPES] or ["noAssertion"]
    found: dict[str, Any] = {
        "type": "dataset_DatasetPackage",
        "spdxId": _iri(mid, "dataset", d["id"]),
        "creationInfo": info,
        "name": f"dataset version {d['id']}",
        "software_primaryPurpose": "data",
        "releaseTime": d["created_at"].split(".")[0].removesuffix("+00:00") + "Z",
        "builtTime": d["as_of"].split(".")[0].removesuffix("+00:00") + "Z",
        "dataset_datasetType": kinds,
        "dataset_dataCollectionProcess": (
            f"consentry scan of {d['corpus']} ({d['format']}) for {d['use']}, {d['regime']} "
            f"regime, reservation signals: {d['signals']}; {d['included']} included, "
            f"{d['excluded']} excluded; trained on {d['used']} items."
        ),
        "verifiedUsing": [
            {"type": "Hash", "algorithm": "sha256", "hashValue": d["manifest_sha256"]}
        ],
        "comment": f"manifest.jsonl SHA-256 {d['manifest_sha256']}; commitment root {d['root']}",
    }
    if d["bytes_used"] is not None:
        found["dataset_datasetSize"] = d["bytes_used"]
    return found
