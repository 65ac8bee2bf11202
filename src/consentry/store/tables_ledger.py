"""The usage ledger: uses per work, inference uses, statements and payments.

Tables join the registry's one ``metadata``; migration 0008 creates exactly these.
"""

from __future__ import annotations

from consentry.store.tables import metadata

__all__ = ["metadata"]
