"""Removal certificates: anyone verifies one; a removal's parties read the one issued.

``POST /certificates/verify`` takes the certificate, optionally the log's
verifier key (as obtained from a trusted place, e.g. ``GET /log/key``) and
optionally the creator's own file, and answers with the verification report.
Nothing is stored.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile

from consentry.actions.removal_read import removal_for, verify_upload
from consentry.errors import InvalidInput
from consentry.service.api.bodies_complaints import CertificateReportOut, RemovalCertificateOut
from consentry.service.auth import Account, current_account, service_settings, workspace

router = APIRouter(tags=["removals"])
Me = Annotated[Account, Depends(current_account)]
KEY_LIMIT = 4096


def _read(upload: UploadFile, limit: int, what: str) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput(f"the {what} is larger than {limit} bytes")
    return data


@router.post("/certificates/verify", response_model=CertificateReportOut)
def verify(
    request: Request,
    certificate: Annotated[UploadFile, File(description="the removal certificate (JSON)")],
    key: Annotated[str | None, Form(max_length=KEY_LIMIT, description="verifier key")] = None,
    work: Annotated[UploadFile | None, File(description="your own copy of the work")] = None,
) -> CertificateReportOut:
    """Check a removal certificate offline: signatures, proofs, and that it names your file."""
    limit = service_settings(request).max_upload_bytes
    report = verify_upload(
        _read(certificate, limit, "certificate"),
        key=key,
        work=_read(work, limit, "work file") if work is not None else None,
    )
    return CertificateReportOut(
        ok=report.ok,
        proven=report.proven,
        not_proven=report.not_proven,
        failures=report.failures,
    )


@router.get("/removals/{removal_id}/certificate", response_model=RemovalCertificateOut)
def certificate(removal_id: str, account: Me, request: Request) -> RemovalCertificateOut:
    """A removal's certificate: for the work's parties, the dataset's developer, admins."""
    removal = removal_for(workspace(request), account, removal_id)
    return RemovalCertificateOut(
        removal_id=removal.id,
        work_id=removal.work_id,
        dataset_version_id=removal.dataset_version_id,
        new_dataset_version_id=removal.new_dataset_version_id,
        completed_at=removal.completed_at,
        certificate_sha256=removal.certificate_sha256,
        certificate=removal.certificate or "",
    )
