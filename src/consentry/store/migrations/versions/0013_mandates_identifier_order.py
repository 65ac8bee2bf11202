"""Mandates indexed by the creators they name; a work's identifiers keep their order.

Revision ID: 0013
Revises: 0012

* ``mandate_creators``: finding the mandates that name some creators read
  every mandate and parsed its JSON list of creators; this table holds one
  row per (mandate, creator) with an index on the creator. It is filled here
  from the mandates already recorded.
* ``work_identifiers.position``: the order the identifiers were given in
  (schemes, then values), so a work reads back as it was registered. Rows
  already stored get the order they were read in until now (by scheme, then
  value), so what existing works show does not change.
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create and fill ``mandate_creators``; add and fill ``work_identifiers.position``."""
    _mandate_creators()
    _identifier_positions()


def _mandate_creators() -> None:
    table = op.create_table(
        "mandate_creators",
        sa.Column("mandate_id", sa.String(length=64), nullable=False),
        sa.Column("creator_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["creator_id"], ["parties.id"]),
        sa.ForeignKeyConstraint(["mandate_id"], ["mandates.id"]),
        sa.PrimaryKeyConstraint("mandate_id", "creator_id"),
    )
    op.create_index("ix_mandate_creators_creator", "mandate_creators", ["creator_id"])
    mandates = sa.table("mandates", sa.column("id", sa.String), sa.column("creator_ids", sa.Text))
    rows = op.get_bind().execute(sa.select(mandates.c.id, mandates.c.creator_ids))
    pairs = [
        {"mandate_id": mandate_id, "creator_id": creator}
        for mandate_id, creators in rows
        for creator in sorted(set(json.loads(creators)))
    ]
    if pairs:
        op.bulk_insert(table, pairs)


def _identifier_positions() -> None:
    with op.batch_alter_table("work_identifiers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))
    table = sa.table(
        "work_identifiers",
        sa.column("work_id", sa.String),
        sa.column("scheme", sa.String),
        sa.column("value", sa.String),
        sa.column("position", sa.Integer),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(table.c.work_id, table.c.scheme, table.c.value)).all()
    counted: dict[str, int] = {}
    updates = []
    for work_id, scheme, value in sorted(rows):  # the order works were read in until now
        updates.append({"w": work_id, "s": scheme, "v": value, "p": counted.get(work_id, 0)})
        counted[work_id] = counted.get(work_id, 0) + 1
    if updates:
        where = (
            (table.c.work_id == sa.bindparam("w"))
            & (table.c.scheme == sa.bindparam("s"))
            & (table.c.value == sa.bindparam("v"))
        )
        bind.execute(table.update().where(where).values(position=sa.bindparam("p")), updates)
    with op.batch_alter_table("work_identifiers", schema=None) as batch_op:
        batch_op.alter_column("position", existing_type=sa.Integer(), nullable=False)


def downgrade() -> None:
    """Drop ``work_identifiers.position`` and ``mandate_creators`` (nothing else is lost)."""
    with op.batch_alter_table("work_identifiers", schema=None) as batch_op:
        batch_op.drop_column("position")
    op.drop_index("ix_mandate_creators_creator", table_name="mandate_creators")
    op.drop_table("mandate_creators")
