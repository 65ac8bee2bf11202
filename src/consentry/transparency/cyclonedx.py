"""A CycloneDX 1.6 ML-BOM rendered from the report, with cyclonedx-python-lib.

The model version is the BOM's subject (a ``machine-learning-model``
component); each dataset version is a ``data`` component the model depends
on. The library does not model 1.6's ``modelCard`` and ``data`` fields, so
they are added to its JSON output: the model card names its training
datasets by ``bom-ref``; each data component carries the scan's counts and
its manifest digest and lists the registered works' rightsholders as owners.
The serial number is derived from the model version and the report time, so
the same report gives the same BOM.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from cyclonedx.model import HashAlgorithm, HashType, Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.output.json import JsonV1Dot6

_NAMESPACE = uuid.UUID("6f0e5b4e-8a43-4d8e-9f51-4c3f0b1d2a77")


def render_cyclonedx(report: Mapping[str, Any]) -> dict[str, Any]:
    """The CycloneDX 1.6 BOM (JSON) for the report's model version."""
    model = report["model"]
    subject = Component(
        type=ComponentType.MACHINE_LEARNING_MODEL,
        name=model["name"],
        version=model["version"],
        bom_ref=f"model:{model['id']}",
        description=f"Model version {model['id']} (consentry model report)",
    )
    bom = Bom(serial_number=uuid.uuid5(_NAMESPACE, f"{model['id']}|{report['generated_at']}"))
    bom.metadata.timestamp = datetime.fromisoformat(report["generated_at"])
    bom.metadata.component = subject
    datasets = []
    for d in report["datasets"]:
        component = Component(
            type=ComponentType.DATA,
            name=f"dataset version {d['id']}",
            version=d["as_of"][:10],
            bom_ref=f"dataset:{d['id']}",
            hashes=[HashType(alg=HashAlgorithm.SHA_256, content=d["manifest_sha256"])],
            properties=[
                Property(name=f"consentry:{key}", value=str(d[key]))
                for key in ("regime", "use", "used", "items_used", "included", "excluded", "root")
            ],
        )
        bom.components.add(component)
        datasets.append(component)
    bom.register_dependency(subject, datasets)
    data: dict[str, Any] = json.loads(JsonV1Dot6(bom).output_as_string())
    return _with_model_card(data, report)


def _with_model_card(data: dict[str, Any], report: Mapping[str, Any]) -> dict[str, Any]:
    """Add 1.6's ``modelCard`` to the model and ``data`` to each dataset component."""
    by_id = {f"dataset:{d['id']}": d for d in report["datasets"]}
    owners = sorted(
        {r["name"] or r["party_id"] for w in report["works"] for r in w["rightsholders"]}
    )
    ts = report["training_set"]
    data["metadata"]["component"]["modelCard"] = {
        "modelParameters": {"datasets": [{"ref": ref} for ref in sorted(by_id)]},
        "considerations": {
            "ethicalConsiderations": [
                {
                    "name": "Consent of creators and rightsholders",
                    "mitigationStrategy": (
                        "Trained only on items cleared by consentry "
                        f"({', '.join(report['regimes'])} regime); "
                        f"{report['excluded']['items']} items excluded before training; "
                        f"training-set commitment {ts['root']} ({ts['size']} hashes)."
                    ),
                }
            ]
        },
    }
    for component in data.get("components", []):
        d = by_id.get(component.get("bom-ref", ""))
        if d is None:
            continue
        component["data"] = [
            {
                "type": "dataset",
                "name": f"dataset version {d['id']}",
                "description": (
                    f"consentry scan of {d['corpus']} for {d['use']}: {d['included']} included, "
                    f"{d['excluded']} excluded; trained on {d['used']} ({d['items_used']} items)."
                ),
                "contents": {
                    "properties": [
                        {"name": "consentry:manifest_sha256", "value": d["manifest_sha256"]},
                        {"name": "consentry:signals", "value": d["signals"]},
                    ]
                },
                "governance": {"owners": [{"organization": {"name": o}} for o in owners]},
            }
        ]
    return data
