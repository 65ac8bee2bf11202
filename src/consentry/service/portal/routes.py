"""Every portal page, as one router: from the public pages to statements and reports."""

from __future__ import annotations

from fastapi import APIRouter

from consentry.service.portal import (
    accounts,
    background,
    complaints,
    developer,
    money,
    public,
    reports,
    requests,
    requests_new,
    rightsholder,
    verify,
    works,
)

router = APIRouter(include_in_schema=False)
for part in (
    public,
    accounts,
    works,
    rightsholder,
    developer,
    verify,
    requests,
    requests_new,
    complaints,
    money,
    reports,
    background,
):
    router.include_router(part.router)
