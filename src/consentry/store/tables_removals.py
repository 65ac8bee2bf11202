"""Removals: requests to take a work out of a dataset, and the certificates issued.

Tables join the registry's one ``metadata``; migration 0005 creates exactly these.
"""

from __future__ import annotations

from consentry.store.tables import metadata

__all__ = ["metadata"]
