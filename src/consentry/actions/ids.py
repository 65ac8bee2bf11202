"""Opaque identifiers for what consentry creates (the log holds ids, never names)."""

from __future__ import annotations

import uuid


def new_id(prefix: str) -> str:
    """A fresh opaque id such as ``p_3f2a9c1e0b7d4e6a`` (64 random bits)."""
    return f"{prefix}_{uuid.uuid4().hex[:16]}"
