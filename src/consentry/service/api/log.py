"""The evidence log, public: checkpoint, entries, inclusion and consistency proofs, verifier key.

Entries hold ids and hashes only, so anyone may read them; proofs follow
RFC 9162 and the C2SP formats (signed-note checkpoints, tlog-proof receipts).
"""

from __future__ import annotations

import base64
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse

from consentry.actions import log as actions
from consentry.actions.log_proofs import consistency
from consentry.service.auth import workspace

router = APIRouter(tags=["log"])
TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {"schema": {"type": "string"}}}, "description": "Text"}
}


@router.get("/log/checkpoint", response_model=None, responses=TEXT)
def checkpoint(request: Request) -> PlainTextResponse:
    """The newest signed checkpoint (a C2SP signed note)."""
    return PlainTextResponse(actions.checkpoint(workspace(request)))


@router.get("/log/key", response_model=None, responses=TEXT)
def verifier_key(request: Request) -> PlainTextResponse:
    """The log's verifier key (C2SP vkey), to check checkpoints and receipts."""
    return PlainTextResponse(actions.public_key(workspace(request)) + "\n")


@router.get("/log/entries")
def entries(
    request: Request,
    start: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Entries from ``start``: position, type, time, canonical body and leaf hash."""
    return [
        {
            "position": e.position,
            "type": e.type,
            "recorded_at": e.recorded_at.isoformat(),
            "entry": e.body.decode("utf-8"),
            "leaf_hash": e.leaf_hash.hex(),
        }
        for e in actions.entries(workspace(request), start, limit)
    ]


@router.get("/log/entries/{position}/receipt", response_model=None, responses=TEXT)
def receipt(position: int, request: Request) -> PlainTextResponse:
    """An offline receipt (C2SP tlog-proof) that the entry is in the signed log."""
    return PlainTextResponse(actions.prove(workspace(request), position).text())


@router.get("/log/consistency")
def consistency_proof(
    request: Request,
    old: Annotated[int, Query(ge=1)],
    new: Annotated[int, Query(ge=1)],
) -> dict[str, Any]:
    """The RFC 9162 consistency proof from tree size ``old`` to ``new`` (base64 hashes)."""
    proof = consistency(workspace(request), old, new)
    return {"old": old, "new": new, "proof": [base64.b64encode(h).decode() for h in proof]}
