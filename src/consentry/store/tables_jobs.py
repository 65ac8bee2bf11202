"""The service's background jobs (scans, report publishing), kept so every process sees them.

The table joins the registry's one ``metadata``; migration 0011 creates exactly it.

A row is written when a job is submitted and updated as it runs: its status
(``queued``, ``running``, ``done``, ``failed``, ``interrupted``), its progress
(shards and items done, written at most every half second), its result or
error. ``worker`` names the process that runs it (``host:pid:token``) and
``heartbeat_at`` is refreshed while it does, so a starting process can tell
a job whose process died (it is marked ``interrupted``, with ``hint`` saying
what to do next) from one another live process is still running. ``params``
(JSON) holds what is needed to run the job again, e.g. to resume a scan.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, String, Table, Text

from consentry.store.tables import UtcDateTime, metadata

__all__ = ["jobs", "metadata"]

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("owner_account", String(64), nullable=False),
    Column("owner_party", String(64)),
    Column("status", String(12), nullable=False),
    Column("params", Text, nullable=False),
    Column("out_dir", Text, nullable=False),
    Column("shards_done", Integer, nullable=False),
    Column("shards_total", Integer),
    Column("items_done", BigInteger, nullable=False),
    Column("worker", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime),
    Column("finished_at", UtcDateTime),
    Column("heartbeat_at", UtcDateTime, nullable=False),
    Column("error", Text),
    Column("hint", Text),
    Column("result", Text),
    Index("ix_jobs_owner_account", "owner_account"),
    Index("ix_jobs_status", "status"),
)
