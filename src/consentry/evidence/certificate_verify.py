"""The creator's offline check of a removal certificate (``consentry verify CERT``).

Trusts only the log's verifier key (given by the creator, as the operator
publishes it), the creator's own file and, when given, the published sorted
hash list. Everything the certificate says is checked against signatures and
proofs; the report says in plain words what was proven and what was not.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from consentry.evidence.certificate import (
    FORMAT,
    ROLES,
    VERSION,
    claims_digest,
    dumps,
    parse_absence,
    proven_absent,
)
from consentry.evidence.checkpoint import verify_checkpoint
from consentry.evidence.commitment import Commitment, verify_absent
from consentry.evidence.entry import parse_entry
from consentry.evidence.note import NoteError, Verifier
from consentry.evidence.receipt import Receipt
from consentry.schema_check import yes_no_check

SCHEMA_FILE = "removal-certificate.json"
_BROKEN = (ValueError, KeyError, TypeError, IndexError, AttributeError, UnicodeError)


@dataclass
class CertificateReport:
    """What the check proved, what it could not prove, and what failed."""

    proven: list[str] = field(default_factory=list)
    not_proven: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failures


def schema() -> dict[str, Any]:
    """The certificate's JSON Schema (``docs/schemas/removal-certificate.json``)."""
    text = resources.files("consentry").joinpath("schemas", SCHEMA_FILE).read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


# The schema's keywords that mean the same in draft 07 (``format`` is left unchecked, as
# ``jsonschema`` leaves it without a format checker): see ``consentry.schema_check``.
_SAME_IN_DRAFT_07 = frozenset(
    {"type", "enum", "const", "required", "minItems", "maxItems", "minLength", "maxLength"}
    | {"minimum", "maximum", "properties", "additionalProperties", "items", "allOf", "$ref"}
    | {"pattern", "format"}
)


@cache
def _fits_schema() -> Callable[[object], bool]:
    """The compiled yes/no check against the schema (milliseconds to build)."""
    return yes_no_check(schema(), _SAME_IN_DRAFT_07, formats=False)


def _schema_errors(cert: object) -> list[Any]:
    """``jsonschema``'s errors, sorted: it words them, but takes up to a second to import,
    so it runs only for a certificate that the compiled check refused."""
    import jsonschema

    return sorted(jsonschema.Draft202012Validator(schema()).iter_errors(cert), key=str)


def verify_certificate(
    text: str,
    key: Verifier | None = None,
    *,
    work_hashes: Sequence[str] = (),
    hash_list: bytes | None = None,
) -> CertificateReport:
    """Check a certificate's text offline; see :class:`CertificateReport`.

    ``key`` is the log's verifier key as the creator obtained it; without it
    the key inside the certificate is used and the report says that proves
    nothing about who signed. ``work_hashes`` are the creator's file's
    SHA-256 values; ``hash_list`` the published ``included-hashes.bin``.
    """
    report = CertificateReport()
    cert = _load(text, report)
    if cert is None:
        return report
    steps: list[Callable[[], None]] = [
        lambda: _check_log(cert, key, report),
        lambda: _check_claims(cert, report),
        lambda: _check_absence(cert, report),
        lambda: _check_work(cert, work_hashes, report),
        lambda: _check_hash_list(cert, hash_list, report),
    ]
    for step in steps:
        try:
            step()
        except _BROKEN as exc:
            report.failures.append(f"the certificate is malformed: {type(exc).__name__}: {exc}")
    _limits(cert, report)
    return report


def _load(text: str, report: CertificateReport) -> dict[str, Any] | None:
    try:
        cert = json.loads(text)
    except ValueError as exc:
        report.failures.append(f"the certificate is not JSON: {exc}")
        return None
    errors = [] if _fits_schema()(cert) else _schema_errors(cert)
    if errors:
        where = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
        report.failures.append(
            f"the certificate does not follow its schema at {where}: {errors[0].message}"
        )
        return None
    if (cert["format"], cert["version"]) != (FORMAT, VERSION):
        report.failures.append(f"not a {FORMAT} v{VERSION}")
        return None
    if dumps(cert) != text:
        report.failures.append(
            "the file is not in the form it was issued in: it was edited (even whitespace counts)"
        )
    return dict(cert)


def _check_log(cert: Mapping[str, Any], key: Verifier | None, report: CertificateReport) -> None:
    log = cert["log"]
    embedded = Verifier.parse(log["key"])
    if key is None:
        key = embedded
        report.not_proven.append(
            "who signed it: no --key was given, so the key inside the certificate was used; "
            "anyone can make a certificate signed by a key of their own. Pass the log's "
            "published key (`consentry log key`) to prove it is the operator's log."
        )
    elif key.text() != embedded.text():
        report.failures.append("the certificate names another log key than the one you gave")
    try:
        head = verify_checkpoint(log["checkpoint"], key).checkpoint
    except NoteError as exc:
        report.failures.append(f"the checkpoint's signature does not verify: {exc}")
        return
    if head.origin != log["origin"] or key.name != log["origin"]:
        report.failures.append("the checkpoint's origin is not the certificate's log")
    roles = [(e["role"], parse_entry(e["entry"].encode()).type.value) for e in log["entries"]]
    if roles != list(ROLES):
        report.failures.append(f"the certificate must carry the entries {list(ROLES)}")
        return
    for held in log["entries"]:
        receipt = Receipt.parse(held["receipt"])
        if receipt.checkpoint != log["checkpoint"] or receipt.index != held["position"]:
            report.failures.append(
                f"the receipt of {held['role']} is not for its position under the checkpoint"
            )
            continue
        try:
            receipt.verify(held["entry"].encode(), key)
        except (ValueError, NoteError) as exc:
            report.failures.append(f"the {held['role']} entry is not in the signed log: {exc}")
    if not report.failures:
        report.proven.append(
            f"the log {head.origin} signed a tree of {head.size} entries holding the request, "
            "both dataset versions and the completion of this removal"
        )


def _entries(cert: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["role"]: json.loads(e["entry"]) for e in cert["log"]["entries"]}


def _check_claims(cert: Mapping[str, Any], report: CertificateReport) -> None:
    claims, logged = cert["claims"], _entries(cert)
    work, old, new = claims["work"], claims["old"], claims["new"]
    expected = {
        "old_version": {"dataset": old["dataset"], "root": old["root"], "size": old["size"]},
        "requested": {
            "removal": claims["removal"],
            "work": work["id"],
            "dataset": old["dataset"],
            "sha256": work["sha256"],
            "content_sha256": work["content_sha256"],
            "requested_at": claims["requested_at"],
        },
        "new_version": {
            "dataset": new["dataset"],
            "root": new["root"],
            "size": new["size"],
            "manifest_sha256": new["manifest_sha256"],
        },
        "completed": {
            "removal": claims["removal"],
            "work": work["id"],
            "dataset": old["dataset"],
            "new_dataset": new["dataset"],
            "removed": claims["removed"]["count"],
            "claims_sha256": claims_digest(claims),
            "completed_at": claims["completed_at"],
        },
    }
    bad = [
        f"{role}.{name}"
        for role, fields in expected.items()
        for name, value in fields.items()
        if logged[role].get(name) != value
    ]
    if bad:
        report.failures.append(
            "what the certificate claims differs from what the log holds: " + ", ".join(bad)
        )
        return
    items = claims["removed"]["items"]
    if claims["removed"]["count"] != len(items):
        report.failures.append("the number of items removed is not the number listed")
    hashes = (work["sha256"], work["content_sha256"])
    if claims["proven_absent"] != proven_absent(hashes, items):
        report.failures.append("the hashes proven absent are not the work's and the removed items'")
    if not report.failures:
        report.proven.append(
            f"the log holds this removal of work {work['id']} from dataset version "
            f"{old['dataset']} (root {old['root'][:16]}…, {old['size']} hashes), which wrote "
            f"{new['dataset']} (root {new['root'][:16]}…, {new['size']} hashes) with "
            f"{len(items)} item(s) removed; every claim in the certificate is the one the "
            "log's completion entry committed to"
        )


def _check_absence(cert: Mapping[str, Any], report: CertificateReport) -> None:
    claims = cert["claims"]
    new = claims["new"]
    proofs = cert["absence"]
    if [p["hash"] for p in proofs] != claims["proven_absent"]:
        report.failures.append("there is not exactly one proof of absence per hash claimed absent")
        return
    root = bytes.fromhex(new["root"])
    failed = 0
    for raw in proofs:
        try:
            verify_absent(bytes.fromhex(raw["hash"]), parse_absence(raw, new["size"]), root)
        except ValueError as exc:
            failed += 1
            report.failures.append(f"the proof that {raw['hash'][:16]}… is absent fails: {exc}")
    if not failed:
        report.proven.append(
            f"none of the {len(proofs)} hash(es) of the work and of the removed items is in "
            f"the new dataset version (each proven against its root, given the list is sorted)"
        )


def _check_work(
    cert: Mapping[str, Any], work_hashes: Sequence[str], report: CertificateReport
) -> None:
    if not work_hashes:
        report.not_proven.append(
            "that your own file is covered: give it with --work to check its hashes"
        )
        return
    absent = set(cert["claims"]["proven_absent"])
    mine = [h for h in work_hashes if h]
    covered = [h for h in mine if h in absent]
    if covered:
        report.proven.append(
            f"your file's hash(es) {', '.join(h[:16] + '…' for h in covered)} are among "
            "those proven absent from the new dataset version"
        )
    if len(covered) < len(mine):
        report.not_proven.append(
            "your file's other hash(es) are not among those proven absent: a copy that is "
            "not byte-identical (re-encoded, reformatted, excerpted) is found by matching, "
            "not by hashes; the certificate lists the items matching found and removed"
        )
    if not covered:
        report.failures.append(
            "your file's hashes are not among those the certificate proves absent"
        )


def _check_hash_list(
    cert: Mapping[str, Any], hash_list: bytes | None, report: CertificateReport
) -> None:
    new = cert["claims"]["new"]
    if hash_list is None:
        report.not_proven.append(
            "that the new version's hash list is sorted, which proofs of absence rely on: "
            "give the published included-hashes.bin with --hashes to check it"
        )
        return
    try:
        published = Commitment.from_file(hash_list)
    except ValueError as exc:
        report.failures.append(f"the published hash list is unusable: {exc}")
        return
    if published.root.hex() != new["root"] or len(published) != new["size"]:
        report.failures.append("the published hash list is not the new dataset version's")
        return
    report.proven.append(
        f"the published hash list is strictly sorted and is the new version's "
        f"({len(published)} hashes, root {new['root'][:16]}…), so the proofs of absence are sound"
    )


def _limits(cert: Mapping[str, Any], report: CertificateReport) -> None:
    """What no certificate can prove, stated by the verifier itself."""
    report.not_proven.append(
        "that nobody trains on an older copy of the dataset, or that copies too altered "
        "to match were found (see the certificate's cannot_prove)"
    )
    flagged = cert["claims"]["models"]
    if flagged:
        names = ", ".join(f"{m['name']} {m['version']}" for m in flagged)
        report.not_proven.append(
            f"that the model version(s) trained on an earlier version ({names}) were "
            "retrained or made to unlearn the work: they are flagged, nothing more"
        )
