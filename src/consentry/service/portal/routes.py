"""Every portal page, as one router: public pages, accounts, works, imports, scans, models."""

from __future__ import annotations

from fastapi import APIRouter

from consentry.service.portal import accounts, developer, public, rightsholder, verify, works

router = APIRouter(include_in_schema=False)
for part in (public, accounts, works, rightsholder, developer, verify):
    router.include_router(part.router)
