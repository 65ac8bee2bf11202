"""Complaints: a creator or rightsholder says a work was used; the developer answers.

Tables join the registry's one ``metadata``; migration 0007 creates exactly these.
"""

from __future__ import annotations

from consentry.store.tables import metadata

__all__ = ["metadata"]
