"""Removal certificates for the service: verify an uploaded one, read an issued one.

Verifying needs no registry and reads no server file: the certificate, the
verifier key and the creator's work arrive as bytes and text (the CLI's
``consentry verify`` reads paths instead). A removal's certificate is read by
the removed work's parties, the developer whose dataset it was, and
administrators.
"""

from __future__ import annotations

from consentry.actions.accounts import Account
from consentry.actions.verify_certificate import file_hashes
from consentry.actions.workspace import Workspace
from consentry.errors import Forbidden, InvalidInput, NotFound
from consentry.evidence.certificate_verify import CertificateReport, verify_certificate
from consentry.evidence.note import NoteError, Verifier
from consentry.evidence.removal import Removal
from consentry.store.removals import RemovalStore


def verify_upload(
    certificate: bytes, *, key: str | None = None, work: bytes | None = None
) -> CertificateReport:
    """Check an uploaded certificate offline, with the log's key and the creator's file."""
    try:
        text = certificate.decode("utf-8")
    except UnicodeDecodeError:
        report = CertificateReport()
        report.failures.append("the certificate is not UTF-8 text")
        return report
    verifier = None
    if key is not None and key.strip():
        try:
            verifier = Verifier.parse(key.strip())
        except NoteError as exc:
            raise InvalidInput(
                f"not a C2SP verifier key: {exc}", hint="use GET /api/v1/log/key"
            ) from exc
    hashes = file_hashes(work) if work else []
    return verify_certificate(text, verifier, work_hashes=hashes)


def removal_for(ws: Workspace, account: Account, removal_id: str) -> Removal:
    """The removal with its certificate, when the account may read it."""
    with ws.transaction() as registry:
        removal = RemovalStore(registry.conn).get_removal(removal_id)
        work = registry.get_work(removal.work_id)
        dataset = registry.get_dataset_version(removal.dataset_version_id)
    if not (
        account.is_admin
        or account.acts_for & set(work.party_ids)
        or (dataset.developer_id is not None and dataset.developer_id in account.acts_for)
    ):
        raise Forbidden(f"removal {removal_id} is not about your work or your dataset")
    if removal.certificate is None:
        raise NotFound(f"removal {removal_id} has no certificate yet")
    return removal
