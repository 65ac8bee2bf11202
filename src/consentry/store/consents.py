"""The append-only consent history, with an optimistic version per work.

Every recorded answer bumps its work's ``consent_version`` with a
compare-and-set ``UPDATE``. Two writers who read the same version cannot both
succeed: the second gets :class:`ConflictError` and writes nothing, so no
change is ever silently lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, RowMapping, insert, select, update
from sqlalchemy.exc import DBAPIError

from consentry.domain import Consent, ConsentState, SubjectKind, Use
from consentry.errors import ConflictError, NotFound
from consentry.store.engine import is_contention
from consentry.store.tables import consents, works
from consentry.store.works import _chunks


def _row(c: Consent) -> dict[str, Any]:
    return {
        "party_id": c.party_id,
        "subject_kind": c.subject_kind.value,
        "subject_id": c.subject_id,
        "use": c.use.value,
        "state": c.state.value,
        "recorded_at": c.recorded_at,
        "recorded_by": c.recorded_by,
        "mandate_id": c.mandate_id,
        "evidence": c.evidence,
        "expires_at": c.expires_at,
    }


def _consent(r: RowMapping) -> Consent:
    return Consent(
        party_id=r["party_id"],
        subject_id=r["subject_id"],
        use=Use(r["use"]),
        state=ConsentState(r["state"]),
        recorded_at=r["recorded_at"],
        recorded_by=r["recorded_by"],
        subject_kind=SubjectKind(r["subject_kind"]),
        mandate_id=r["mandate_id"],
        evidence=r["evidence"],
        expires_at=r["expires_at"],
    )


def _conflict(work_id: str, version: int) -> ConflictError:
    return ConflictError(
        f"the consent of work {work_id} was changed by someone else since you read it "
        f"(version {version}); nothing was written",
        hint=f"re-read it with `consentry consent show {work_id}` and try again",
    )


class ConsentStore:
    """Consent records and the per-work version that guards them."""

    conn: Connection

    def work_consent_version(self, work_id: str) -> int:
        """The work's current consent version (0 when never changed)."""
        query = select(works.c.consent_version).where(works.c.id == work_id)
        version = self.conn.execute(query).scalar_one_or_none()
        if version is None:
            raise NotFound(f"no work {work_id!r}", hint="see `consentry works list`")
        return int(version)

    def record_consent(self, consent: Consent, *, expected_version: int | None = None) -> int:
        """Append one answer for a work; returns the work's new consent version.

        ``expected_version`` is the version the caller read; by default the
        one read now, in this transaction.
        """
        work_id = consent.subject_id
        version = (
            self.work_consent_version(work_id) if expected_version is None else expected_version
        )
        bump = (
            update(works)
            .where(works.c.id == work_id, works.c.consent_version == version)
            .values(consent_version=version + 1)
        )
        try:
            if self.conn.execute(bump).rowcount != 1:
                self.work_consent_version(work_id)  # NotFound for an unknown work
                raise _conflict(work_id, version)
            self.conn.execute(insert(consents), [_row(consent)])
        except DBAPIError as exc:
            # SQLite's busy snapshot and PostgreSQL's serialization failures both mean
            # another writer won the race. Anything else (an unknown party or mandate)
            # is not a race: retrying would fail the same way, so it is not reported as one.
            if not is_contention(exc):
                raise
            raise _conflict(work_id, version) from exc
        return version + 1

    def record_consents_bulk(self, batch: Sequence[Consent]) -> None:
        """Append many answers (an import) and bump each touched work's version once."""
        if not batch:
            return
        self.conn.execute(insert(consents), [_row(c) for c in batch])
        touched = sorted({c.subject_id for c in batch if c.subject_kind is SubjectKind.WORK})
        for chunk in _chunks(touched):
            self.conn.execute(
                update(works)
                .where(works.c.id.in_(chunk))
                .values(consent_version=works.c.consent_version + 1)
            )

    def consents_for(
        self, subject_id: str, subject_kind: SubjectKind = SubjectKind.WORK
    ) -> list[Consent]:
        """A work's or persona's consent history, in recording order."""
        query = (
            select(consents)
            .where(
                consents.c.subject_kind == subject_kind.value, consents.c.subject_id == subject_id
            )
            .order_by(consents.c.id)
        )
        return [_consent(r) for r in self.conn.execute(query).mappings()]

    def consents_for_works(self, ids: Iterable[str]) -> dict[str, list[Consent]]:
        """Consent histories of many works, in recording order."""
        found: dict[str, list[Consent]] = defaultdict(list)
        for chunk in _chunks(list(ids)):
            query = (
                select(consents)
                .where(
                    consents.c.subject_kind == SubjectKind.WORK.value,
                    consents.c.subject_id.in_(chunk),
                )
                .order_by(consents.c.id)
            )
            for r in self.conn.execute(query).mappings():
                found[r["subject_id"]].append(_consent(r))
        return dict(found)
