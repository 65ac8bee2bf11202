"""The EU AI Act "public summary of training content" (AI Office template, July 2025).

Every section of the template is answered, each answer marked with where it
came from: ``computed`` (from the report: the registry, manifests, ledger and
log), ``developer`` (the answers file) or ``not provided``. Nothing is
guessed: a question consentry cannot answer and the developer did not is
shown as "not provided". The size bands are the template's (``eu_sections.BANDS``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.transparency.answers import Answers
from consentry.transparency.eu_sections import data_processing, data_sources, general

TEMPLATE = "EU AI Office template for the public summary of training content (July 2025)"


def build_summary(report: Mapping[str, Any], answers: Answers) -> dict[str, Any]:
    """The summary as JSON: three sections of numbered parts of answered questions."""
    return {
        "template": TEMPLATE,
        "model": f"{report['model']['name']} {report['model']['version']}",
        "generated_at": report["generated_at"],
        "report_training_set_root": report["training_set"]["root"],
        "sections": [
            {"number": "1", "title": "General information", "parts": general(report, answers)},
            {
                "number": "2",
                "title": "List of data sources",
                "parts": data_sources(report, answers),
            },
            {
                "number": "3",
                "title": "Data processing aspects",
                "parts": data_processing(report, answers),
            },
        ],
    }


def to_markdown(summary: Mapping[str, Any]) -> str:
    """The summary as Markdown: headings per section and part, one line per answer."""
    lines = [
        f"# Public summary of training content: {summary['model']}",
        "",
        f"Following the {summary['template']}. Generated {summary['generated_at']}.",
        "Each answer says where it comes from: computed by consentry from the registry,",
        "the scan manifests, the usage ledger and the evidence log; given by the developer;",
        "or not provided.",
        "",
    ]
    for section in summary["sections"]:
        lines += [f"## {section['number']}. {section['title']}", ""]
        for part in section["parts"]:
            lines += [f"### {part['number']} {part['title']}", ""]
            for answer in part["answers"]:
                text = _md(answer["answer"]).replace("\n", "\n  ")
                origin = "" if answer["source"] == "not provided" else f" _({answer['source']})_"
                lines.append(f"- **{_md(answer['question'])}**: {text}{origin}")
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _md(text: str) -> str:
    """Escape the characters Markdown would read as markup or HTML."""
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
