"""Registering works through the service: by upload, by fingerprints or ISCC only, in bulk.

The same parser and checks as ``consentry works add``/``import``, plus two rules
for callers who are not on the server's machine: a row may not name a ``file``
(the server never reads a path a client chose), and every work must name the
registering account's party among its creators or rightsholders. The party
that registered each work is remembered: it confirms claims on it.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from consentry.actions.accounts import Account
from consentry.actions.authorise import may_register
from consentry.actions.works import ImportReport, add_work, import_works
from consentry.actions.workspace import Workspace
from consentry.domain import Work, WorkKind
from consentry.errors import ImportRejected, RowError
from consentry.store.accounts import AccountStore
from consentry.work_import.read import read_rows


def register_upload(ws: Workspace, account: Account, file: Path, meta: Mapping[str, Any]) -> Work:
    """Register one uploaded file as a work, described by ``meta`` (title, kind, parties)."""
    may_register(account, [dict(meta)])
    kind = meta.get("kind")
    work = add_work(
        ws,
        file,
        title=str(meta["title"]),
        creators=list(meta.get("creators") or ()),
        rightsholders=list(meta.get("rightsholders") or ()),
        kind=WorkKind(kind) if kind else None,
        work_id=meta.get("id"),
        identifiers=meta.get("identifiers"),
        recorded_by=_recorder(account),
    )
    _remember(ws, account, [work])
    return work


def register_rows(
    ws: Workspace, account: Account, rows: Sequence[Mapping[str, Any]]
) -> ImportReport:
    """Register works from import rows holding fingerprints or an ISCC (no files)."""
    _refuse_files([(n, dict(r)) for n, r in enumerate(rows, start=1)], "request")
    may_register(account, [dict(r) for r in rows])
    with tempfile.TemporaryDirectory(prefix="consentry-rows-") as folder:
        path = Path(folder) / "works.jsonl"
        path.write_text("".join(json.dumps(r, default=str) + "\n" for r in rows), encoding="utf-8")
        try:
            report = import_works(ws, path, recorded_by=_recorder(account))
        except ImportRejected as exc:  # name the request, not the server's temporary file
            raise ImportRejected("request", exc.errors) from None
    _remember(ws, account, report.works)
    return report


def import_upload(ws: Workspace, account: Account, path: Path) -> ImportReport:
    """Import an uploaded JSONL or CSV catalogue, all or nothing (rows may not name files)."""
    raw = [(r.line, r.value) for r in read_rows(path) if r.value is not None]
    _refuse_files(raw, path.name)
    may_register(account, [v for _, v in raw])
    try:
        report = import_works(ws, path, recorded_by=_recorder(account))
    except ImportRejected as exc:
        raise ImportRejected(path.name, exc.errors) from None
    _remember(ws, account, report.works)
    return report


def _refuse_files(rows: Sequence[tuple[int, dict[str, Any]]], source: str) -> None:
    bad = [
        RowError(line, "'file' is not accepted here: upload the file, or give its fingerprints")
        for line, row in rows
        if row.get("file") not in (None, "")
    ]
    if bad:
        raise ImportRejected(source, bad)


def _recorder(account: Account) -> str:
    return account.party_id or account.id


def _remember(ws: Workspace, account: Account, works: Sequence[Work]) -> None:
    if account.party_id is None:
        return
    with ws.transaction() as registry:
        store = AccountStore(registry.conn)
        for work in works:
            if store.registrant_of(work.id) is None:
                store.add_registrant(work.id, account.party_id)
