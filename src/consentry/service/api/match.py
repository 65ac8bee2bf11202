"""Match: which registered works does this file hold?"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile

from consentry.actions.match import match_files
from consentry.service.auth import Account, current_account, service_settings, workspace
from consentry.service.uploads import save_upload, upload_folder

router = APIRouter(tags=["match"])
Me = Annotated[Account, Depends(current_account)]


@router.post("/match")
def match(
    account: Me, request: Request, file: Annotated[UploadFile, File(description="any file")]
) -> dict[str, Any]:
    """The registered works found in the uploaded file: exact, near and excerpt matches."""
    limit = service_settings(request).max_upload_bytes
    with upload_folder() as folder:
        path = save_upload(file, folder, limit)
        found = match_files(workspace(request), [path])[0]
    return {
        "kind": found.kind,
        "refused": found.result.refused,
        "matches": [
            {
                "work_id": m.work_id,
                "title": found.titles.get(m.work_id),
                "match": str(m.kind),
                "score": m.score,
                "evidence": {k: str(v) for k, v in m.evidence.items()},
            }
            for m in found.result.matches
        ],
    }
