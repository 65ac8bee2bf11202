"""The fast public lookup: may developer D use this content for use U?

No sign-in; its own (higher) rate limit. The answer is computed by the same
decision table a scan uses, for every registered work the content matches.

This route reads its query through one pydantic model and writes its JSON
itself: FastAPI's per-parameter machinery costs more than a warm lookup. The
OpenAPI description lists the same parameters (``LOOKUP_PARAMETERS``).
"""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from consentry.actions.lookup import (
    MAX_BATCH,
    LookupAnswer,
    LookupCache,
    lookup,
    lookup_many,
    normalise_key,
)
from consentry.domain import Use
from consentry.service.auth import workspace

router = APIRouter(tags=["lookup"])


class LookupQuery(BaseModel):
    """The question. Give exactly one of ``sha256`` and ``iscc``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    developer: str = Field(min_length=1, max_length=200, description="id, ISNI, IPI or name")
    use: Use = Use.AI_TRAINING
    sha256: str | None = Field(default=None, max_length=80, description="raw or content SHA-256")
    iscc: str | None = Field(default=None, max_length=128, description="an ISCC code")
    model: str | None = Field(default=None, max_length=200)
    territory: str | None = Field(default=None, max_length=16)


class WorkAnswer(BaseModel):
    """The decision for one matching work."""

    model_config = ConfigDict(extra="forbid")

    work_id: str
    decision: Literal["include", "exclude"]
    explanation: str


class LookupOut(BaseModel):
    """``include`` only when every matching work may be used; ``unknown`` when none matches."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["include", "exclude"]
    reasons: list[str]
    works: list[WorkAnswer]
    developer: str
    use: Use
    at: str


def _parameters() -> list[dict[str, Any]]:
    schema = LookupQuery.model_json_schema()
    required = set(schema.get("required", ()))
    found = []
    for name, spec in schema["properties"].items():
        if "$ref" in spec or "allOf" in spec:  # the Use enum, inline
            spec = {"type": "string", "enum": [u.value for u in Use], "default": "ai_training"}
        found.append({"name": name, "in": "query", "required": name in required, "schema": spec})
    return found


LOOKUP_PARAMETERS = _parameters()


def _cache(request: Request) -> LookupCache:
    state = request.app.state
    if not hasattr(state, "lookup_cache"):
        state.lookup_cache = LookupCache()
    cache: LookupCache = state.lookup_cache
    return cache


def _answer(answer: LookupAnswer) -> dict[str, Any]:
    return {
        "decision": answer.decision,
        "reasons": list(answer.reasons),
        "works": [{"work_id": w, "decision": d, "explanation": e} for w, d, e in answer.works],
        "developer": answer.developer_id,
        "use": answer.use.value,
        "at": answer.at.isoformat(),
    }


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@router.get("/lookup", response_model=LookupOut, openapi_extra={"parameters": LOOKUP_PARAMETERS})
async def public_lookup(request: Request) -> Response:
    """The decision and its reasons for one piece of content, named by hash or ISCC.

    Runs on the event loop, not in a worker thread: a warm lookup is one indexed
    read and a cached, dated answer, cheaper than a thread hop.
    """
    try:
        query = LookupQuery.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    answer = lookup(
        workspace(request),
        _cache(request),
        query.developer,
        query.use,
        normalise_key(query.sha256, query.iscc),
        model=query.model,
        territory=query.territory,
    )
    return Response(_json(_answer(answer)), media_type="application/json")


class ItemIn(BaseModel):
    """One piece of content: exactly one of ``sha256`` and ``iscc``."""

    model_config = ConfigDict(extra="forbid")

    sha256: str | None = Field(default=None, max_length=80)
    iscc: str | None = Field(default=None, max_length=128)


class BatchIn(BaseModel):
    """Many pieces of content, one developer and use."""

    model_config = ConfigDict(extra="forbid")

    developer: str = Field(min_length=1, max_length=200)
    use: Use = Use.AI_TRAINING
    model: str | None = Field(default=None, max_length=200)
    territory: str | None = Field(default=None, max_length=16)
    items: list[ItemIn] = Field(min_length=1, max_length=MAX_BATCH)


class BatchOut(BaseModel):
    """One answer per item, in order."""

    model_config = ConfigDict(extra="forbid")

    answers: list[LookupOut]


@router.post("/lookup", response_model=BatchOut)
def batch_lookup(body: BatchIn, request: Request) -> Response:
    """The public lookup for up to 1,000 items at once (a corpus checked in batches)."""
    answers = lookup_many(
        workspace(request),
        _cache(request),
        body.developer,
        body.use,
        [normalise_key(i.sha256, i.iscc) for i in body.items],
        model=body.model,
        territory=body.territory,
    )
    return Response(
        _json({"answers": [_answer(a) for a in answers]}), media_type="application/json"
    )
