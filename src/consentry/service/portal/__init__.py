"""The portal: server-rendered pages for creators, rightsholders, developers and the public.

``router`` holds every page; :func:`consentry.service.app.create_app` includes
it. Pages call :mod:`consentry.actions` only: no SQL and no business rules
here. Templates autoescape every value; forms carry one-use CSRF tokens; no
page needs JavaScript.
"""

from __future__ import annotations

from consentry.service.portal.routes import router

__all__ = ["router"]
