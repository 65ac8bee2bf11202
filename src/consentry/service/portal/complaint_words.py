"""Complaints in plain words: states, verdicts of the check, remedies, reasons and outcomes."""

from __future__ import annotations

WORDS: dict[str, dict[str, str]] = {
    "state": {
        "open": "waiting for the developer's answer",
        "answered": "answered by the developer",
        "escalated": "with an administrator",
        "resolved": "closed",
    },
    "verdict": {
        "unlicensed_use": "the work was used without a licence",
        "licensed_use": "the work was used, under a licence",
        "excluded": "the work was found, but the scan left it out",
        "not_found": "the scan's records do not hold the work",
        "unchecked": "not checked: the scan's records are not kept here",
    },
    "use": {
        "licensed": "used under a licence",
        "unlicensed": "used without a licence",
        "excluded": "left out of training",
    },
    "remedy": {
        "remove": "remove the work (with a removal certificate)",
        "license": "license it for the past period",
        "pay": "pay for the past use",
    },
    "reason": {
        "not_used": "the work was not used",
        "licensed": "the use was licensed",
        "not_a_copy": "what was found is not a copy of the work",
        "other": "another reason (see the note)",
    },
    "outcome": {
        "settled": "settled on the developer's answer",
        "withdrawn": "withdrawn by the complainant",
        "upheld": "upheld by an administrator",
        "dismissed": "dismissed by an administrator",
    },
}
"""Each code of :mod:`consentry.licensing.complaints`, in words, by kind of code."""
