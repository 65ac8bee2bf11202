"""The demo's complaint: the author who refused Genesis finds it on the web and complains.

Ada Quill withheld every kind of mining for Genesis. She finds a copy on a web
page and complains that it is in Northwind AI's scanned dataset version. The
check, run as the complaint is filed, finds the manifest row: the scan
excluded the page (``withheld``), so nothing trained on the cleared data used
it. Northwind AI answers (rejects: not used), and Ada settles. The complaint
with its check is written to ``complaint.json``.
"""

from __future__ import annotations

import json

from consentry.actions.complaints import (
    Subject,
    answer_complaint,
    file_complaint,
    resolve_complaint,
    show_complaint,
)
from consentry.actions.demo import DEVELOPER, DemoContext
from consentry.errors import InvalidInput
from consentry.licensing.complaints import AnswerKind, Outcome, RejectReason
from consentry.licensing.complaints_json import record_as_dict

COMPLAINANT = "p_ada"
WORK = "genesis"


def complaint(ctx: DemoContext) -> None:
    """File, check, answer and settle a complaint about the scanned dataset version."""
    if ctx.scan is None or ctx.scan.dataset_version is None:
        raise InvalidInput("the complaint step runs after the scan step")
    filed = file_complaint(
        ctx.ws,
        COMPLAINANT,
        DEVELOPER,
        WORK,
        Subject(dataset_version_id=ctx.scan.dataset_version),
        statement="My Genesis, which I refused for any mining, is on a web page you scanned.",
        files=[ctx.paths["corpus"] / "web" / "genesis-page.html"],
        manifests=[ctx.paths["manifest"]],
        answer_within_days=14,
    )
    complaint_id = filed.complaint.id
    answer_complaint(
        ctx.ws,
        complaint_id,
        DEVELOPER,
        AnswerKind.REJECT,
        reason=RejectReason.NOT_USED,
        note="The scan excluded the page (withheld); we train only on the cleared data.",
    )
    resolve_complaint(ctx.ws, complaint_id, COMPLAINANT, Outcome.SETTLED)
    out = ctx.root / "complaint.json"
    done = show_complaint(ctx.ws, complaint_id)
    out.write_text(
        json.dumps(record_as_dict(done, ctx.ws.now()), indent=2) + "\n", encoding="utf-8"
    )
    ctx.paths["complaint"] = out
