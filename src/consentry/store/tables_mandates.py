"""Which creators each mandate names, one row per creator, indexed by creator.

A mandate's creators are also kept on the mandate (``mandates.creator_ids``,
a JSON list: what a :class:`~consentry.domain.Mandate` is read from); this
table exists so that the mandates naming given creators are found by an
index instead of reading every mandate. Migration 0013 creates it and fills
it from the mandates already recorded. Mandates are never deleted and their
creators never change, so the two stay equal by construction
(:meth:`~consentry.store.parties.PartyStore.add_mandate` writes both).
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, String, Table

from consentry.store.tables import metadata

mandate_creators = Table(
    "mandate_creators",
    metadata,
    Column("mandate_id", String(64), ForeignKey("mandates.id"), primary_key=True),
    Column("creator_id", String(64), ForeignKey("parties.id"), primary_key=True),
    Index("ix_mandate_creators_creator", "creator_id"),
)
