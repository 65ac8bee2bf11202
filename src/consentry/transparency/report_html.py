"""The model report as a human-readable HTML page, rendered from ``report.json``'s data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from consentry.transparency.html import bar_chart, esc, heading, page, para, table

PUBLICATION_FILE = "publication.json"


def _names(parties: list[Mapping[str, Any]]) -> str:
    return "; ".join(
        esc(p["name"] or p["party_id"])
        + (f" ({esc(p['role'])})" if p.get("role") else "")
        + (f" ISNI {esc(p['isni'])}" if p.get("isni") else "")
        for p in parties
    )


def _works(report: Mapping[str, Any]) -> list[str]:
    rows = []
    for w in report["works"]:
        licences = "; ".join(
            f"<code>{esc(lic['id'])}</code> for {esc(', '.join(lic['uses']))}"
            for lic in w["licences"]
        )
        use = w["usage"] or {}
        uses = (
            f"{w['items']} items"
            + (f", {use['tokens']} tokens, {use['images']} images" if use else "")
            + (" <strong>unlicensed use</strong>" if w["unlicensed_items"] else "")
        )
        rows.append(
            [
                f"{esc(w['title'] or '')} <code>{esc(w['work_id'])}</code>",
                esc(w["kind"] or ""),
                _names(w["creators"]),
                _names(w["rightsholders"]),
                licences or "none",
                uses,
            ]
        )
    header = ["work", "kind", "creators", "rightsholders", "licences", "use"]
    return [heading(2, "Works used", "works"), table(header, rows, raw=True)]


def _datasets(report: Mapping[str, Any]) -> list[str]:
    rows = [
        [
            d["id"],
            d["corpus"],
            d["regime"],
            d["signals"],
            d["used"],
            str(d["items_used"]),
            f"{d['included']} / {d['excluded']}",
            d["root"] or "",
            "" if d["log_position"] is None else str(d["log_position"]),
        ]
        for d in report["datasets"]
    ]
    header = ["dataset version", "corpus", "regime", "signals read", "trained on", "items used",
              "included / excluded", "root", "log entry"]  # fmt: skip
    return [heading(2, "Training data", "datasets"), table(header, rows)]


def _excluded(report: Mapping[str, Any]) -> list[str]:
    ex = report["excluded"]
    out = [
        heading(2, "What was excluded and why", "excluded"),
        para(f"{ex['items']} items were excluded by the scans."),
        bar_chart("Excluded items by reason", ex["by_reason"]),
        table(["reason", "items"], [[k, str(n)] for k, n in ex["by_detail"].items()]),
    ]
    if ex["used_anyway"]:
        out.append(para(f"{ex['used_anyway']} excluded items were used all the same (--used all)."))
    return out


def _removals(report: Mapping[str, Any]) -> list[str]:
    rem = report["removals"]
    out = [heading(2, "Removed since the previous version", "removals")]
    if rem["previous_version"] is None:
        return [*out, para("This is the model's first recorded version.")]
    rows = [
        [w["title"] or "", w["work_id"], ", ".join(str(p) for p in w["log_positions"])]
        for w in rem["works"]
    ]
    return [
        *out,
        para(f"Compared with version {rem['previous_version']}: {len(rows)} works no longer used."),
        table(["work", "id", "removal log entries"], rows),
    ]


def render_report_html(report: Mapping[str, Any]) -> str:
    """The report page: works, counts and charts, exclusions, removals, regime and log."""
    model, counts, ts = report["model"], report["counts"], report["training_set"]
    developer = model["developer"]["name"] if model["developer"] else "not recorded"
    body = [
        heading(1, f"Model report: {model['name']} {model['version']}"),
        para(f"Developer: {developer}. Generated {report['generated_at']}.", "muted"),
        para("Regime: " + ", ".join(report["regimes"]) + "."),
        para(
            f"Training set: {ts['items']} items, committed as Merkle root {ts['root']} over "
            f"{ts['size']} hashes. The report's hash and this root are recorded in the evidence "
            f"log; see {PUBLICATION_FILE} beside this page for the entry and its receipt."
        ),
        *_datasets(report),
        heading(2, "Counts", "counts"),
        bar_chart("Items used by kind", counts["by_kind"]),
        bar_chart("Items used by source", counts["by_source"]),
        bar_chart("Items used by licence", counts["by_licence"]),
        *_works(report),
        *_excluded(report),
        *_removals(report),
        heading(2, "Evidence log entries", "log"),
        table(
            ["position", "type", "fields"],
            [[str(e["position"]), e["type"], _fields(e["fields"])] for e in report["log"]],
        ),
    ]
    return page(f"Model report: {model['name']} {model['version']}", body)


def _fields(fields: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(fields.items()))


def render_summary_html(summary: Mapping[str, Any]) -> str:
    """The EU training-content summary as an HTML page (same content as the Markdown)."""
    body = [
        heading(1, f"Public summary of training content: {summary['model']}"),
        para(f"Following the {summary['template']}. Generated {summary['generated_at']}."),
    ]
    for section in summary["sections"]:
        body.append(heading(2, f"{section['number']}. {section['title']}"))
        for part in section["parts"]:
            body.append(heading(3, f"{part['number']} {part['title']}"))
            rows = [[a["question"], a["answer"], a["source"]] for a in part["answers"]]
            body.append(table(["question", "answer", "source"], rows))
    return page(f"Training content summary: {summary['model']}", body)
