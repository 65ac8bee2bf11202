"""Small builders for the registry tests (no tests here): works, consents, mandates, licences.

Times are whole days after ``T0``; decisions are taken at ``AT`` (day 10) unless
a test says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from consentry.domain import (
    Consent,
    ConsentState,
    Contribution,
    Licence,
    LicenceGrant,
    Mandate,
    Rights,
    SubjectKind,
    Use,
    Work,
    WorkKind,
)
from consentry.registry import WorkDecision, decide_work

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DEV = "p_dev"
G, W, A = ConsentState.GRANTED, ConsentState.WITHHELD, ConsentState.ASK
DM, AIT, GEN = Use.DATA_MINING, Use.AI_TRAINING, Use.GENAI_TRAINING
INF, SEARCH = Use.AI_INFERENCE, Use.SEARCH


def day(n: float) -> datetime:
    """``n`` days after T0."""
    return T0 + timedelta(days=n)


AT = day(10)


def work(
    creators: Iterable[str] = ("p_a",), holders: Iterable[str] = (), work_id: str = "w1"
) -> Work:
    """A text work with the given creators and rightsholders, no shares."""
    return Work(
        id=work_id,
        title=work_id,
        kind=WorkKind.TEXT,
        contributions=tuple(Contribution(p) for p in creators),
        rights=tuple(Rights(p) for p in holders),
    )


def consent(
    party: str,
    use: Use,
    state: ConsentState,
    *,
    on: float = 1,
    work_id: str = "w1",
    by: str | None = None,
    mandate: str | None = None,
    expires: float | None = None,
    subject_kind: SubjectKind = SubjectKind.WORK,
) -> Consent:
    """A consent recorded on day ``on``, by the party itself unless ``mandate``."""
    return Consent(
        party_id=party,
        subject_id=work_id,
        use=use,
        state=state,
        recorded_at=day(on),
        recorded_by=by or (party if mandate is None else "p_soc"),
        subject_kind=subject_kind,
        mandate_id=mandate,
        expires_at=None if expires is None else day(expires),
    )


def mandate(
    mandate_id: str = "m1",
    *,
    creators: Iterable[str] = ("p_a",),
    uses: Iterable[Use] = (DM,),
    granted: float = 0,
    revoked: float | None = None,
    agent: str = "p_soc",
) -> Mandate:
    """A mandate for ``agent`` to answer for ``creators`` on ``uses`` (and below)."""
    return Mandate(
        id=mandate_id,
        agent_id=agent,
        creator_ids=frozenset(creators),
        uses=frozenset(uses),
        granted_at=day(granted),
        revoked_at=None if revoked is None else day(revoked),
    )


def licence(
    licence_id: str = "L1",
    *,
    works: Iterable[str] = ("w1",),
    uses: Iterable[Use] = (AIT,),
    dev: str = DEV,
    starts: float = 0,
    ends: float | None = None,
    models: Iterable[str] = (),
    territories: Iterable[str] = (),
    grants: Mapping[str, float] | None = None,
    revoked: float | None = None,
    catalogue_of: str | None = None,
) -> Licence:
    """A licence to ``dev``; ``grants`` maps party -> day it agreed, for every listed work."""
    work_ids = frozenset(works)
    return Licence(
        id=licence_id,
        licensee_id=dev,
        work_ids=work_ids,
        uses=frozenset(uses),
        starts_at=day(starts),
        ends_at=None if ends is None else day(ends),
        models=frozenset(models),
        territories=frozenset(territories),
        grants=tuple(
            LicenceGrant(w, p, day(d)) for w in sorted(work_ids) for p, d in (grants or {}).items()
        ),
        catalogue_of=catalogue_of,
        revoked_at=None if revoked is None else day(revoked),
    )


def decide(
    w: Work,
    consents: Iterable[Consent] = (),
    licences: Iterable[Licence] = (),
    mandates: Iterable[Mandate] = (),
    *,
    developer: str | None = DEV,
    use: Use = AIT,
    at: datetime = AT,
    model: str | None = None,
    territory: str | None = None,
) -> WorkDecision:
    """``decide_work`` with the tests' defaults."""
    return decide_work(
        w,
        consents=consents,
        licences=licences,
        mandates=mandates,
        developer_id=developer,
        use=use,
        at=at,
        model=model,
        territory=territory,
    )
