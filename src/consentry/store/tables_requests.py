"""Requests, answers and counters: developers ask in advance, every party answers.

Tables join the registry's one ``metadata``; migration 0006 creates exactly these.
"""

from __future__ import annotations

from consentry.store.tables import metadata

__all__ = ["metadata"]
