"""The usage ledger's uses: batches (trainings, inference calls), uses per work, open uses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Connection, RowMapping, insert, select

from consentry.errors import NotFound
from consentry.ledger.records import Batch, OpenUse, UseKind, UseRecord
from consentry.ledger.usage import WorkUsage
from consentry.provenance import ModelVersion
from consentry.store.codec import dump_fee_terms, load_fee_terms
from consentry.store.tables import model_versions
from consentry.store.tables_ledger import ledger_batches, ledger_open_uses, ledger_uses


class LedgerUseStore:
    """Appends and reads the ledger's uses over one connection (no business rules)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_batch(
        self, batch: Batch, uses: Sequence[UseRecord], open_uses: Sequence[OpenUse] = ()
    ) -> None:
        """Append one batch with its uses per work (and open-licence items, if any)."""
        self.conn.execute(
            insert(ledger_batches),
            [
                {
                    "id": batch.id,
                    "kind": batch.kind.value,
                    "model_version_id": batch.model_version_id,
                    "dataset_version_id": batch.dataset_version_id,
                    "used": batch.used,
                    "used_at": batch.used_at,
                    "tariff": dump_fee_terms(batch.tariff),
                    "log_position": batch.log_position,
                    "recorded_at": batch.recorded_at,
                }
            ],
        )
        if uses:
            self.conn.execute(insert(ledger_uses), [_use_row(batch.id, u) for u in uses])
        if open_uses:
            rows = [
                {
                    "batch_id": batch.id,
                    "item_id": o.item_id,
                    "source": o.source,
                    "licence": o.licence,
                    "attribution": o.attribution,
                }
                for o in open_uses
            ]
            self.conn.execute(insert(ledger_open_uses), rows)

    def get_model_version(self, model_version_id: str) -> ModelVersion:
        """The model version with this id, or NotFound."""
        query = select(model_versions).where(model_versions.c.id == model_version_id)
        row = self.conn.execute(query).mappings().one_or_none()
        if row is None:
            raise NotFound(
                f"no model version {model_version_id!r}", hint="see `consentry models list`"
            )
        return ModelVersion(
            row["id"], row["name"], row["version"], row["developer_id"], row["created_at"]
        )

    def uses(
        self,
        *,
        model_version_id: str | None = None,
        kind: UseKind | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> list[UseRecord]:
        """Uses by model version, kind and ``start <= used_at < end``, in recording order."""
        b, u = ledger_batches, ledger_uses
        columns = [c for c in u.c if c.name not in ("id", "batch_id")]
        query = select(*b.c, *columns).join(u, u.c.batch_id == b.c.id)
        if model_version_id is not None:
            query = query.where(b.c.model_version_id == model_version_id)
        if kind is not None:
            query = query.where(b.c.kind == kind.value)
        if start is not None:
            query = query.where(b.c.used_at >= start)
        if end is not None:
            query = query.where(b.c.used_at < end)
        rows = self.conn.execute(query.order_by(b.c.recorded_at, b.c.id, u.c.id)).mappings()
        batches: dict[str, Batch] = {}
        found: list[UseRecord] = []
        for row in rows:
            batch = batches.get(row["id"]) or _batch(row)
            batches[batch.id] = batch
            found.append(UseRecord(batch, _usage(row), row["uses"]))
        return found

    def open_uses(self, model_version_id: str) -> list[OpenUse]:
        """The open-licence items a model version's trainings used, by item id."""
        b, o = ledger_batches, ledger_open_uses
        query = (
            select(o)
            .join(b, o.c.batch_id == b.c.id)
            .where(b.c.model_version_id == model_version_id)
            .order_by(o.c.item_id, o.c.id)
        )
        found = {
            r["item_id"]: OpenUse(r["item_id"], r["licence"], r["source"], r["attribution"])
            for r in self.conn.execute(query).mappings()
        }
        return list(found.values())


def _use_row(batch_id: str, use: UseRecord) -> dict[str, object]:
    u = use.usage
    return {
        "batch_id": batch_id,
        "work_id": u.work_id,
        "licence_id": u.licence_id,
        "past_use": u.past_use,
        "items": u.items,
        "bytes": u.bytes,
        "tokens": u.tokens,
        "seconds": u.seconds,
        "images": u.images,
        "epochs": u.epochs,
        "uses": use.uses,
    }


def _batch(row: RowMapping) -> Batch:
    return Batch(
        id=row["id"],
        kind=UseKind(row["kind"]),
        model_version_id=row["model_version_id"],
        used_at=row["used_at"],
        log_position=row["log_position"],
        recorded_at=row["recorded_at"],
        dataset_version_id=row["dataset_version_id"],
        used=row["used"],
        tariff=load_fee_terms(row["tariff"]),
    )


def _usage(row: RowMapping) -> WorkUsage:
    return WorkUsage(
        work_id=row["work_id"],
        items=row["items"],
        bytes=row["bytes"],
        tokens=row["tokens"],
        seconds=Decimal(row["seconds"]),
        images=row["images"],
        epochs=row["epochs"],
        dataset_version_id=row["dataset_version_id"],
        licence_id=row["licence_id"],
        past_use=bool(row["past_use"]),
    )
