"""The creator's check of a removal certificate (``consentry verify``): files in, report out.

Needs no registry: only the certificate, optionally the creator's own file,
the log's published verifier key and the published hash list.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from consentry.domain import WorkKind
from consentry.errors import InvalidInput, NotFound, UnreadableContent
from consentry.evidence.certificate_verify import CertificateReport, verify_certificate
from consentry.evidence.note import NoteError, Verifier


def read_key(value: str) -> Verifier:
    """A C2SP verifier key given as text, or as the path of a file holding it."""
    path = Path(value)
    text = value
    try:
        if path.is_file():
            text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise InvalidInput(f"cannot read the key file {path}: {exc}") from exc
    try:
        return Verifier.parse(text)
    except NoteError as exc:
        raise InvalidInput(
            f"not a C2SP verifier key: {exc}", hint="use the line `consentry log key` prints"
        ) from exc


def file_hashes(data: bytes) -> list[str]:
    """A file's SHA-256 and, when it can be read as a work, its content SHA-256.

    The fingerprinting code (text extraction, ISCC, decoders) is imported here,
    not at the top: only ``verify --work`` needs it, and it takes most of the
    time a bare ``consentry verify`` would otherwise spend starting.
    """
    from consentry.fingerprint.exact import exact_fingerprints
    from consentry.fingerprint.work import detect_kind, text_fingerprints

    raw = hashlib.sha256(data).hexdigest()
    kind = detect_kind(data)
    try:
        if kind is WorkKind.TEXT:
            prints = text_fingerprints(data)[2]
        elif kind is not None:
            prints = exact_fingerprints(data, kind)
        else:
            return [raw]
    except UnreadableContent:
        return [raw]
    return list(dict.fromkeys(h for h in (raw, prints.content_sha256) if h))


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise NotFound(f"no {what} at {path}") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read the {what} {path}: {exc}") from exc


def verify_file(
    certificate: Path,
    *,
    key: str | None = None,
    work: Path | None = None,
    hashes: Path | None = None,
) -> CertificateReport:
    """Check the certificate at ``certificate`` offline (see ``verify_certificate``)."""
    raw = _read(certificate, "certificate")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        report = CertificateReport()
        report.failures.append("the certificate is not UTF-8 text")
        return report
    return verify_certificate(
        text,
        read_key(key) if key is not None else None,
        work_hashes=file_hashes(_read(work, "work file")) if work is not None else (),
        hash_list=_read(hashes, "hash list") if hashes is not None else None,
    )
