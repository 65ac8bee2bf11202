"""The FastAPI application: the JSON API under ``/api/v1`` and, when present, the portal.

``create_app`` opens the registry once (a :class:`~consentry.actions.workspace.Workspace`
kept on ``app.state.ws``) and wires the routers, the error handlers and the
service middleware (rate limits, body limits, security headers). Routes call
:mod:`consentry.actions` and nothing below it.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import ModuleType
from typing import Any

from fastapi import APIRouter, FastAPI

from consentry import __version__
from consentry.actions.workspace import open_workspace
from consentry.service import errors
from consentry.service.jobs import JobRunner
from consentry.service.middleware import ServiceMiddleware
from consentry.service.ratelimit import RateLimiter
from consentry.service.settings import ServiceSettings

API_PREFIX = "/api/v1"
# Routers of /api/v1, by module; a module that is not there yet is skipped.
API_MODULES = (
    "lookup",  # first: the hot path matches the first route it is offered
    "accounts",
    "parties",
    "works",
    "consent",
    "licences",
    "match",
    "scans",
    "jobs",
    "ml_models",
    "log",
    "requests",
    "complaints",
    "ledger",
    "reports",
    "removals",
)


def create_app(
    database_url: str | None = None, *, settings: ServiceSettings | None = None
) -> FastAPI:
    """The service over the registry at ``database_url`` (default: as the CLI finds it).

    The registry must exist at the newest schema (``consentry init``).
    """
    config = settings or ServiceSettings.from_env()
    ws = open_workspace(database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        app.state.jobs.shutdown()
        cache = getattr(app.state, "lookup_cache", None)
        if cache is not None:
            cache.close()
        ws.close()

    app = FastAPI(
        **_no_telemetry(),
        title="consentry",
        version=__version__,
        summary="Consent-first rights clearance for AI training data",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.ws = ws
    app.state.settings = config
    app.state.login_limiter = RateLimiter(config.login_rate_per_minute)
    app.state.jobs = JobRunner(ws, config)
    errors.install(app)
    for name in API_MODULES:
        module = _optional(f"consentry.service.api.{name}")
        if module is not None:
            router: APIRouter = module.router
            app.include_router(router, prefix=API_PREFIX, responses=errors.ERROR_RESPONSES)
    _include_portal(app)
    app.add_middleware(ServiceMiddleware, settings=config)
    return app


def _no_telemetry() -> dict[str, Any]:
    """Turn off FastAPI's built-in OpenTelemetry hooks where it has them.

    Unconfigured, they still look for a tracer provider on every request,
    which costs more than a whole warm lookup.
    """
    if "telemetry" not in inspect.signature(FastAPI).parameters:
        return {}
    return {"telemetry": {"tracing": False, "metrics": False, "logs": False}}


def _optional(name: str) -> ModuleType | None:
    """Import ``name`` when the module exists (its own errors still surface)."""
    if importlib.util.find_spec(name) is None:
        return None
    return importlib.import_module(name)


def _include_portal(app: FastAPI) -> None:
    """Include ``consentry.service.portal.router`` when the portal is installed.

    The portal package may instead define ``install(app)`` to mount static files
    and its router itself.
    """
    if importlib.util.find_spec("consentry.service.portal") is None:
        return
    portal = importlib.import_module("consentry.service.portal")
    install = getattr(portal, "install", None)
    if callable(install):
        install(app)
        return
    router = getattr(portal, "router", None)
    if isinstance(router, ModuleType):
        router = getattr(router, "router", None)
    if router is None:
        module = _optional("consentry.service.portal.router")
        router = getattr(module, "router", None) if module is not None else None
    if isinstance(router, APIRouter):
        app.include_router(router)
